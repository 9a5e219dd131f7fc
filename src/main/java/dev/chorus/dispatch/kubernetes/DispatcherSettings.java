package dev.chorus.dispatch.kubernetes;

import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the dispatcher needs to know, checked: {@link KubernetesConfig} with its lists parsed and its
 * namespace resolved. An immutable value.
 *
 * @param image         worker image; empty when the job template names it
 * @param nodeSelector  node labels worker pods must match, in the order given
 * @param pendingTimeout how long a Job's pod may stay unstarted before its trials are released
 */
record DispatcherSettings(String namespace, Optional<String> image, String coordinatorUrl, int maxJobs,
                          int trialsPerJob, int gpusPerJob, Optional<String> cpu, Optional<String> memory,
                          Map<String, String> nodeSelector, List<Toleration> tolerations,
                          Optional<String> configMap, Optional<String> secret, Optional<String> serviceAccount,
                          int ttlSecondsAfterFinished, Optional<Path> jobTemplate, Optional<String> dataClaim,
                          String dataPath, Duration pendingTimeout) {

    private static final String PREFIX = "chorus.kubernetes.";

    DispatcherSettings {
        require(!namespace.isBlank(), "namespace", "is blank");
        require(!coordinatorUrl.isBlank(), "coordinator-url",
                "is not set: give the URL worker pods reach the coordinator at, e.g. http://chorus");
        require(maxJobs >= 0, "max-jobs", "is " + maxJobs + "; it must be 0 or more");
        require(trialsPerJob >= 1, "trials-per-job", "is " + trialsPerJob + "; it must be 1 or more");
        require(gpusPerJob >= 0, "gpus-per-job", "is " + gpusPerJob + "; it must be 0 or more");
        require(ttlSecondsAfterFinished >= 0, "ttl-seconds-after-finished",
                "is " + ttlSecondsAfterFinished + "; it must be 0 or more");
        require(pendingTimeout.isPositive(), "pending-timeout", "is " + pendingTimeout + "; it must be positive");
        nodeSelector = Collections.unmodifiableMap(new LinkedHashMap<>(nodeSelector));
        tolerations = List.copyOf(tolerations);
    }

    /**
     * The settings of {@code config}, in {@code defaultNamespace} unless it names one.
     *
     * @throws IllegalArgumentException naming the key that is wrong and what it should be
     */
    static DispatcherSettings of(KubernetesConfig config, String defaultNamespace) {
        return new DispatcherSettings(config.namespace().orElse(defaultNamespace), config.image(),
                config.coordinatorUrl().orElse(""), config.maxJobs(), config.trialsPerJob(), config.gpusPerJob(),
                config.cpu(), config.memory(), nodeSelector(config.nodeSelector().orElse(List.of())),
                config.tolerations().orElse(List.of()).stream().map(DispatcherSettings::toleration).toList(),
                config.configMap(), config.secret(), config.serviceAccount(), config.ttlSecondsAfterFinished(),
                config.jobTemplate(), config.dataClaim(), config.dataPath(), config.pendingTimeout());
    }

    /** {@code key=value} entries as a map; a key given twice keeps its last value. */
    static Map<String, String> nodeSelector(List<String> entries) {
        Map<String, String> selector = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            require(eq > 0, "node-selector", "entry '" + entry + "' is not key=value");
            selector.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
        }
        return selector;
    }

    /**
     * One toleration from {@code key=value:Effect} (operator Equal), {@code key:Effect} or {@code key}
     * (operator Exists); the effect is NoSchedule, PreferNoSchedule or NoExecute, or left out for all.
     */
    static Toleration toleration(String entry) {
        String rest = entry.strip();
        String effect = null;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            effect = rest.substring(colon + 1).strip();
            rest = rest.substring(0, colon).strip();
            require(List.of("NoSchedule", "PreferNoSchedule", "NoExecute").contains(effect), "tolerations",
                    "entry '" + entry + "' has effect '" + effect + "'; allowed: NoSchedule, PreferNoSchedule, NoExecute");
        }
        int eq = rest.indexOf('=');
        String key = eq < 0 ? rest : rest.substring(0, eq).strip();
        require(!key.isEmpty(), "tolerations", "entry '" + entry + "' has no key; write key=value:Effect or key:Effect");
        TolerationBuilder toleration = new TolerationBuilder().withKey(key).withEffect(effect);
        return eq < 0
                ? toleration.withOperator("Exists").build()
                : toleration.withOperator("Equal").withValue(rest.substring(eq + 1).strip()).build();
    }

    private static void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(PREFIX + key + " " + problem);
        }
    }
}
