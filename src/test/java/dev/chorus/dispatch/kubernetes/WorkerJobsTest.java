package dev.chorus.dispatch.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.dispatch.JobAssignments;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Worker Jobs built from a user's template: what the template says stays, what Chorus owns is filled in. */
class WorkerJobsTest {

    @TempDir
    Path dir;

    private static final JobAssignments ONE = new JobAssignments(
            List.of(new JobAssignments.Claimed(7, new UUID(0, 1))));

    private Path template(String yaml) throws IOException {
        return Files.writeString(dir.resolve("worker-job.yaml"), yaml);
    }

    @Test
    void keepsTheTemplateAndFillsInWhatChorusOwns() throws IOException {
        Path file = template("""
                apiVersion: batch/v1
                kind: Job
                metadata:
                  labels: { team: ml }
                spec:
                  backoffLimit: 6
                  template:
                    spec:
                      priorityClassName: batch-low
                      nodeSelector: { pool: training }
                      containers:
                        - name: sidecar
                          image: busybox
                        - name: worker
                          image: registry.example/chorus:1.0
                          env:
                            - { name: DJL_CACHE_DIR, value: /tmp/djl }
                            - { name: CHORUS_COORDINATOR_URL, value: http://stale }
                          resources:
                            limits: { cpu: "4" }
                """);
        DispatcherSettings settings = Settings.of("image", null, "job-template", file.toString(), "memory", "2Gi",
                "node-selector", "gpu=a100");

        Job job = new WorkerJobs(settings).build("chorus-worker-abc", ONE, Instant.parse("2026-11-23T10:00:00Z"));

        assertThat(job.getMetadata().getLabels()).containsEntry("team", "ml").containsAllEntriesOf(WorkerJobs.LABELS);
        assertThat(job.getMetadata().getAnnotations()).containsEntry(JobAssignments.ANNOTATION, "7:" + new UUID(0, 1))
                .containsEntry(WorkerJobs.CREATED_ANNOTATION, "2026-11-23T10:00:00Z");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getTemplate().getSpec().getPriorityClassName()).isEqualTo("batch-low");
        assertThat(job.getSpec().getTemplate().getSpec().getNodeSelector())
                .containsEntry("pool", "training").containsEntry("gpu", "a100");
        Container worker = WorkerJobs.workerContainer(job);
        assertThat(worker.getName()).isEqualTo("worker");
        assertThat(worker.getImage()).isEqualTo("registry.example/chorus:1.0");
        assertThat(worker.getEnv()).extracting(EnvVar::getName).containsExactly("DJL_CACHE_DIR",
                "CHORUS_ASSIGNMENTS", "CHORUS_COORDINATOR_URL", "CHORUS_WORKER_NAME", "CHORUS_KUBERNETES_ENABLED");
        assertThat(worker.getResources().getLimits()).containsEntry("cpu", new Quantity("4"))
                .containsEntry("memory", new Quantity("2Gi")).doesNotContainKey(WorkerJobs.GPU);
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv()).isEmpty();
    }

    @Test
    void eachJobStartsFromAFreshCopyOfTheTemplate() {
        WorkerJobs jobs = new WorkerJobs(Settings.of("data-claim", "data"));
        jobs.build("a", ONE, Instant.EPOCH);
        Job second = jobs.build("b", ONE, Instant.EPOCH);

        assertThat(second.getSpec().getTemplate().getSpec().getVolumes()).hasSize(1);
        assertThat(WorkerJobs.workerContainer(second).getEnv()).hasSize(4);
    }

    @Test
    void refusesATemplateThatIsNotAJob() throws IOException {
        Path file = template("apiVersion: v1\nkind: Pod\nmetadata: { name: x }\n");

        assertThatThrownBy(() -> new WorkerJobs(Settings.of("job-template", file.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + " must be one batch/v1 Job; it is Pod");
    }

    @Test
    void needsAnImageFromTheSettingsOrTheTemplate() {
        DispatcherSettings noImage = Settings.of("image", null);

        assertThatThrownBy(() -> new WorkerJobs(noImage)).hasMessageStartingWith("chorus.kubernetes.image is not set");
    }
}
