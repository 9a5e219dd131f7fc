package dev.chorus.dispatch.kubernetes;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the Kubernetes dispatcher ({@code chorus.kubernetes.*}, or {@code CHORUS_KUBERNETES_*}
 * variables). Every key has a default, so the dispatcher's keys never fail a start where it is off.
 * Lists are comma-separated, so each fits one environment variable of a ConfigMap.
 */
@ConfigMapping(prefix = "chorus.kubernetes")
interface KubernetesConfig {

    /** Dispatch claimed trials as Kubernetes Jobs. Off by default: no cluster is contacted then. */
    @WithDefault("false")
    boolean enabled();

    /** Namespace of the worker Jobs; default the client's (the pod's own namespace in a cluster). */
    Optional<String> namespace();

    /** Image of the worker pods; required unless the job template names one. */
    Optional<String> image();

    /** URL worker pods reach the coordinator at, e.g. {@code http://chorus}; required when enabled. */
    Optional<String> coordinatorUrl();

    /** Worker Jobs running at once (each one pod). */
    @WithDefault("4")
    int maxJobs();

    /** Trials claimed for one Job: several small trials share its pod and GPU. */
    @WithDefault("1")
    int trialsPerJob();

    /** GPUs per Job ({@code nvidia.com/gpu} limit); 0 requests none. */
    @WithDefault("0")
    int gpusPerJob();

    /** CPU request of a worker pod, e.g. {@code 2} or {@code 500m}; unset leaves the template's. */
    Optional<String> cpu();

    /** Memory request and limit of a worker pod, e.g. {@code 4Gi}; unset leaves the template's. */
    Optional<String> memory();

    /** Node selector of worker pods as {@code key=value} entries, e.g. {@code nvidia.com/gpu.present=true}. */
    Optional<List<String>> nodeSelector();

    /**
     * Tolerations of worker pods as {@code key=value:Effect} ({@code Equal}) or {@code key:Effect}
     * ({@code Exists}) entries, e.g. {@code nvidia.com/gpu:NoSchedule}; the effect may be left out.
     */
    Optional<List<String>> tolerations();

    /** ConfigMap whose keys become the worker's environment (optional: a missing one is skipped). */
    Optional<String> configMap();

    /** Secret whose keys become the worker's environment (optional: a missing one is skipped). */
    Optional<String> secret();

    /** Service account of worker pods; the worker needs no Kubernetes API access. */
    Optional<String> serviceAccount();

    /** Seconds a finished Job (and its pod and log) stays before Kubernetes deletes it. */
    @WithDefault("600")
    int ttlSecondsAfterFinished();

    /**
     * A YAML {@code batch/v1} Job the worker Jobs start from: the place to customise pods (volumes,
     * security context, priority class, extra env). The dispatcher fills in name, labels, annotations,
     * image, args, the Chorus environment, resources, node selector and tolerations.
     */
    Optional<Path> jobTemplate();

    /** PersistentVolumeClaim with the studies' data files, mounted into worker pods at {@link #dataPath()}. */
    Optional<String> dataClaim();

    /** Where {@link #dataClaim()} is mounted; use the path the coordinator sees the same files at. */
    @WithDefault("/data")
    String dataPath();

    /**
     * How long a Job's pod may stay unstarted (unschedulable, pulling) before its trials are released
     * with the reason; the dispatcher renews their leases until then.
     */
    @WithDefault("30m")
    Duration pendingTimeout();

    /** How often the dispatcher looks at its Jobs and pods; keep it well under the trial lease. */
    @WithDefault("5s")
    Duration interval();
}
