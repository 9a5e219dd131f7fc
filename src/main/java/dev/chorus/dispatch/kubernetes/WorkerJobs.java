package dev.chorus.dispatch.kubernetes;

import dev.chorus.dispatch.JobAssignments;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds worker Jobs: the job template (or built-in defaults) with what the dispatcher owns filled in.
 * Owned, and so overwritten: name, namespace, Chorus labels and annotations, {@code backoffLimit: 0}
 * (one claim, one attempt), {@code restartPolicy: Never}, the worker container's image and args
 * (the template's args are kept), the Chorus environment variables, and each setting that is set
 * (resources, node selector entries, tolerations, service account, ttl, data volume). Security
 * settings the template leaves out are those of Pod Security's {@code restricted} level
 * ({@link RestrictedPods}). Everything else in the template is kept. The worker container is the one
 * named {@value #CONTAINER}, else the template's first.
 *
 * @implNote Immutable and thread-safe: each Job is built from a fresh copy of the template.
 */
final class WorkerJobs {

    static final String CONTAINER = "worker";
    /** Labels every worker Job and its pods carry; the dispatcher lists its Jobs and pods by them. */
    static final Map<String, String> LABELS = Map.of(
            "app.kubernetes.io/component", "chorus-worker", "app.kubernetes.io/managed-by", "chorus");
    /** The pod label naming the pod's Job, set by the dispatcher (not relying on the Job controller's). */
    static final String JOB_LABEL = "chorus.dev/job";
    /** When the dispatcher created the Job, by its clock: the start of the pending timeout. */
    static final String CREATED_ANNOTATION = "chorus.dev/created-at";
    static final String GPU = "nvidia.com/gpu";
    private static final String DATA_VOLUME = "chorus-data";
    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final String DEFAULT_TEMPLATE = """
            apiVersion: batch/v1
            kind: Job
            spec:
              template:
                spec:
                  automountServiceAccountToken: false
                  containers:
                    - name: worker
            """;

    private final DispatcherSettings settings;
    private final String template;

    /**
     * @throws IllegalArgumentException when the template is not a Job, or no image is configured
     * @throws UncheckedIOException when the template file cannot be read
     */
    WorkerJobs(DispatcherSettings settings) {
        this.settings = settings;
        this.template = settings.jobTemplate().map(WorkerJobs::read).orElse(DEFAULT_TEMPLATE);
        Job probe = parse(template, settings.jobTemplate().map(Object::toString).orElse("the built-in template"));
        if (settings.image().isEmpty() && workerContainer(probe).getImage() == null) {
            throw new IllegalArgumentException("chorus.kubernetes.image is not set and the job template names no"
                    + " image for its '" + CONTAINER + "' container: set one of them");
        }
    }

    /** The Job for {@code assignments}, named {@code name}, created at {@code now}. */
    Job build(String name, JobAssignments assignments, Instant now) {
        Job job = parse(template, "the job template");
        job.getMetadata().setName(name);
        job.getMetadata().setNamespace(settings.namespace());
        job.getMetadata().setLabels(merged(job.getMetadata().getLabels(), LABELS));
        job.getMetadata().setAnnotations(merged(job.getMetadata().getAnnotations(), Map.of(
                JobAssignments.ANNOTATION, assignments.toString(), CREATED_ANNOTATION, now.toString())));
        job.getSpec().setBackoffLimit(0);
        job.getSpec().setTtlSecondsAfterFinished(settings.ttlSecondsAfterFinished());

        PodTemplateSpec pod = job.getSpec().getTemplate();
        pod.getMetadata().setLabels(merged(pod.getMetadata().getLabels(), merged(LABELS, Map.of(JOB_LABEL, name))));
        PodSpec spec = pod.getSpec();
        spec.setRestartPolicy("Never");
        settings.serviceAccount().ifPresent(spec::setServiceAccountName);
        spec.setNodeSelector(merged(spec.getNodeSelector(), settings.nodeSelector()));
        spec.setTolerations(Stream.concat(spec.getTolerations().stream(), settings.tolerations().stream()).toList());

        Container worker = workerContainer(job);
        settings.image().ifPresent(worker::setImage);
        if (worker.getArgs().isEmpty()) {
            worker.setArgs(List.of("worker"));
        }
        worker.setEnv(env(worker.getEnv(), assignments));
        settings.configMap().ifPresent(cm -> worker.getEnvFrom().add(new EnvFromSourceBuilder()
                .withNewConfigMapRef(cm, true).build()));
        settings.secret().ifPresent(s -> worker.getEnvFrom().add(new EnvFromSourceBuilder()
                .withNewSecretRef(s, true).build()));
        resources(worker);
        settings.dataClaim().ifPresent(claim -> {
            spec.getVolumes().add(new VolumeBuilder().withName(DATA_VOLUME)
                    .withNewPersistentVolumeClaim(claim, false).build());
            worker.getVolumeMounts().add(new VolumeMountBuilder().withName(DATA_VOLUME)
                    .withMountPath(settings.dataPath()).build());
        });
        RestrictedPods.restrict(spec);
        return job;
    }

    /** The container that runs the worker. */
    static Container workerContainer(Job job) {
        List<Container> containers = job.getSpec().getTemplate().getSpec().getContainers();
        return containers.stream().filter(c -> CONTAINER.equals(c.getName())).findFirst()
                .orElseGet(containers::getFirst);
    }

    private List<EnvVar> env(List<EnvVar> templateEnv, JobAssignments assignments) {
        List<EnvVar> own = List.of(
                new EnvVar(JobAssignments.ENV, assignments.toString(), null),
                new EnvVar("CHORUS_COORDINATOR_URL", settings.coordinatorUrl(), null),
                new EnvVarBuilder().withName("CHORUS_WORKER_NAME")
                        .withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom()
                        .build(),
                // the pod may share the coordinator's ConfigMap: a worker must never dispatch in turn
                new EnvVar("CHORUS_KUBERNETES_ENABLED", "false", null));
        Set<String> names = own.stream().map(EnvVar::getName).collect(Collectors.toSet());
        List<EnvVar> env = new ArrayList<>(templateEnv.stream().filter(e -> !names.contains(e.getName())).toList());
        env.addAll(own);
        return env;
    }

    private void resources(Container worker) {
        ResourceRequirements resources = worker.getResources() == null ? new ResourceRequirements() : worker.getResources();
        Map<String, Quantity> requests = new LinkedHashMap<>(resources.getRequests());
        Map<String, Quantity> limits = new LinkedHashMap<>(resources.getLimits());
        settings.cpu().ifPresent(cpu -> requests.put("cpu", new Quantity(cpu)));
        settings.memory().ifPresent(memory -> {
            requests.put("memory", new Quantity(memory));
            limits.put("memory", new Quantity(memory));
        });
        if (settings.gpusPerJob() > 0) {
            limits.put(GPU, new Quantity(Integer.toString(settings.gpusPerJob())));
        }
        resources.setRequests(requests);
        resources.setLimits(limits);
        worker.setResources(resources);
    }

    private static <V> Map<String, V> merged(Map<String, V> base, Map<String, V> over) {
        Map<String, V> merged = new LinkedHashMap<>(base == null ? Map.of() : base);
        merged.putAll(over);
        return merged;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException("chorus.kubernetes.job-template " + path + " cannot be read: " + e, e);
        }
    }

    /** Parses a Job template; fills in the parts a minimal template may leave out. */
    static Job parse(String yaml, String source) {
        Object parsed;
        try {
            parsed = YAML.unmarshal(yaml);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + " is not valid Kubernetes YAML: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Job job)) {
            throw new IllegalArgumentException(source + " must be one batch/v1 Job; it is "
                    + (parsed == null ? "empty" : parsed.getClass().getSimpleName()));
        }
        if (job.getMetadata() == null) {
            job.setMetadata(new ObjectMeta());
        }
        if (job.getSpec() == null || job.getSpec().getTemplate() == null
                || job.getSpec().getTemplate().getSpec() == null
                || job.getSpec().getTemplate().getSpec().getContainers().isEmpty()) {
            throw new IllegalArgumentException(source + " has no spec.template.spec.containers: give at least"
                    + " the '" + CONTAINER + "' container");
        }
        if (job.getSpec().getTemplate().getMetadata() == null) {
            job.getSpec().getTemplate().setMetadata(new ObjectMeta());
        }
        return job;
    }
}
