package dev.chorus.dispatch.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.dispatch.JobAssignments;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Settings as users write them: defaults, list entries, environment variables, and clear refusals. */
class DispatcherSettingsTest {

    @Test
    void defaults() {
        DispatcherSettings s = Settings.of();

        assertThat(s.namespace()).isEqualTo("test");
        assertThat(s.maxJobs()).isEqualTo(4);
        assertThat(s.trialsPerJob()).isEqualTo(1);
        assertThat(s.gpusPerJob()).isZero();
        assertThat(s.ttlSecondsAfterFinished()).isEqualTo(600);
        assertThat(s.nodeSelector()).isEmpty();
        assertThat(s.tolerations()).isEmpty();
        assertThat(s.jobTemplate()).isEmpty();
        assertThat(s.dataPath()).isEqualTo("/data");
        assertThat(s.pendingTimeout()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void readsTheVariablesAConfigMapGives() {
        DispatcherSettings s = Settings.fromEnv(Map.of(
                "CHORUS_KUBERNETES_IMAGE", "chorus:gpu", "CHORUS_KUBERNETES_COORDINATOR_URL", "http://chorus",
                "CHORUS_KUBERNETES_NAMESPACE", "ml", "CHORUS_KUBERNETES_GPUS_PER_JOB", "1",
                "CHORUS_KUBERNETES_NODE_SELECTOR", "nvidia.com/gpu.present=true,pool=gpu",
                "CHORUS_KUBERNETES_TOLERATIONS", "nvidia.com/gpu:NoSchedule",
                "CHORUS_KUBERNETES_JOB_TEMPLATE", "/etc/chorus/worker-job.yaml"));

        assertThat(s.namespace()).isEqualTo("ml");
        assertThat(s.image()).contains("chorus:gpu");
        assertThat(s.gpusPerJob()).isEqualTo(1);
        assertThat(s.nodeSelector()).containsExactly(Map.entry("nvidia.com/gpu.present", "true"), Map.entry("pool", "gpu"));
        assertThat(s.tolerations()).extracting(Toleration::getKey).containsExactly("nvidia.com/gpu");
        assertThat(s.jobTemplate()).hasValueSatisfying(p -> assertThat(p).hasToString("/etc/chorus/worker-job.yaml"));
    }

    @Test
    void tolerationsInTheirThreeShapes() {
        assertThat(DispatcherSettings.toleration("dedicated=ml:NoExecute"))
                .extracting(Toleration::getKey, Toleration::getOperator, Toleration::getValue, Toleration::getEffect)
                .containsExactly("dedicated", "Equal", "ml", "NoExecute");
        assertThat(DispatcherSettings.toleration("nvidia.com/gpu:NoSchedule"))
                .extracting(Toleration::getKey, Toleration::getOperator, Toleration::getValue, Toleration::getEffect)
                .containsExactly("nvidia.com/gpu", "Exists", null, "NoSchedule");
        assertThat(DispatcherSettings.toleration("spot"))
                .extracting(Toleration::getKey, Toleration::getOperator, Toleration::getEffect)
                .containsExactly("spot", "Exists", null);
    }

    @Test
    void refusesWhatItCannotUseAndSaysWhichKey() {
        assertThatThrownBy(() -> DispatcherSettings.toleration("gpu:NoScheduled"))
                .hasMessage("chorus.kubernetes.tolerations entry 'gpu:NoScheduled' has effect 'NoScheduled';"
                        + " allowed: NoSchedule, PreferNoSchedule, NoExecute");
        assertThatThrownBy(() -> DispatcherSettings.nodeSelector(List.of("gpu")))
                .hasMessage("chorus.kubernetes.node-selector entry 'gpu' is not key=value");
        assertThatThrownBy(() -> Settings.of("coordinator-url", null))
                .hasMessageStartingWith("chorus.kubernetes.coordinator-url is not set");
        assertThatThrownBy(() -> Settings.of("trials-per-job", "0"))
                .hasMessage("chorus.kubernetes.trials-per-job is 0; it must be 1 or more");
    }

    @Test
    void assignmentsRoundTripAndRefuseGarbage() {
        JobAssignments a = new JobAssignments(List.of(new JobAssignments.Claimed(3, new UUID(1, 2)),
                new JobAssignments.Claimed(9, new UUID(3, 4))));

        assertThat(JobAssignments.parse(a.toString())).isEqualTo(a);
        assertThat(a.trialIds()).containsExactly(3L, 9L);
        assertThatThrownBy(() -> JobAssignments.parse("3-abc"))
                .hasMessage("assignment '3-abc' is not <trialId>:<claim uuid> (in '3-abc')");
        assertThatThrownBy(() -> JobAssignments.parse(" "))
                .hasMessage("a worker Job needs at least one claimed trial");
    }
}
