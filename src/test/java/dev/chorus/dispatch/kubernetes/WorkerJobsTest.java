package dev.chorus.dispatch.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.dispatch.JobAssignments;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
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

        assertThat(second.getSpec().getTemplate().getSpec().getVolumes()).extracting(Volume::getName)
                .containsExactly("chorus-data", RestrictedPods.TMP_VOLUME);
        assertThat(WorkerJobs.workerContainer(second).getEnv()).hasSize(4);
    }

    @Test
    void withoutATemplateTheWorkerPodIsRestricted() {
        Job job = new WorkerJobs(Settings.of()).build("chorus-worker-r", ONE, Instant.EPOCH);

        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(RestrictedPods.IMAGE_USER);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        Container worker = WorkerJobs.workerContainer(job);
        SecurityContext security = worker.getSecurityContext();
        assertThat(security.getRunAsNonRoot()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        // a read-only root file system, but a writable /tmp (the JVM, PyTorch's native libraries)
        String tmp = worker.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp"))
                .map(m -> m.getName()).findFirst().orElseThrow();
        assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals(tmp)).singleElement()
                .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    }

    @Test
    void theShippedTemplateAndTheBuiltInOneGiveTheSameSecurity() {
        Job shipped = new WorkerJobs(Settings.of("job-template", "k8s/base/worker-job.yaml"))
                .build("a", ONE, Instant.EPOCH);
        Job builtIn = new WorkerJobs(Settings.of()).build("b", ONE, Instant.EPOCH);

        assertThat(shipped.getSpec().getTemplate().getSpec().getSecurityContext())
                .isEqualTo(builtIn.getSpec().getTemplate().getSpec().getSecurityContext());
        assertThat(WorkerJobs.workerContainer(shipped).getSecurityContext())
                .isEqualTo(WorkerJobs.workerContainer(builtIn).getSecurityContext());
    }

    @Test
    void whatTheTemplateSaysAboutSecurityIsKeptAndTheRestFilledIn() throws IOException {
        Path file = template("""
                apiVersion: batch/v1
                kind: Job
                spec:
                  template:
                    spec:
                      initContainers:
                        - name: fetch
                          image: busybox
                      containers:
                        - name: worker
                          securityContext:
                            runAsUser: 1000
                            readOnlyRootFilesystem: false
                            capabilities: { add: [NET_BIND_SERVICE] }
                """);

        Job job = new WorkerJobs(Settings.of("job-template", file.toString())).build("c", ONE, Instant.EPOCH);

        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsUser()).as("the template names a user").isNull();
        SecurityContext worker = WorkerJobs.workerContainer(job).getSecurityContext();
        assertThat(worker.getRunAsUser()).isEqualTo(1000L);
        assertThat(worker.getReadOnlyRootFilesystem()).isFalse();
        assertThat(worker.getCapabilities().getAdd()).containsExactly("NET_BIND_SERVICE");
        assertThat(worker.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(worker.getAllowPrivilegeEscalation()).isFalse();
        assertThat(WorkerJobs.workerContainer(job).getVolumeMounts()).as("its root is writable: no /tmp needed").isEmpty();
        SecurityContext init = pod.getInitContainers().getFirst().getSecurityContext();
        assertThat(init.getReadOnlyRootFilesystem()).isTrue();
        assertThat(init.getAllowPrivilegeEscalation()).isFalse();
        assertThat(init.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(pod.getInitContainers().getFirst().getVolumeMounts()).extracting(m -> m.getMountPath())
                .containsExactly("/tmp");
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
