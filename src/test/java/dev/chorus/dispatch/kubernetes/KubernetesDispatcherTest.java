package dev.chorus.dispatch.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.chorus.dispatch.JobAssignments;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dispatcher against fabric8's mock API server: Jobs per batch, slots, leases, restarts. */
@EnableKubernetesMockClient(crud = true)
class KubernetesDispatcherTest {

    KubernetesClient client;

    @BeforeAll
    static void quiet() {
        Pods.quietMockServer();
    }
    final FakeProtocol protocol = new FakeProtocol();
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T10:00:00Z"));
    final InstantSource clock = now::get;

    private KubernetesDispatcher dispatcher(String... settings) {
        return new KubernetesDispatcher(client, Settings.of(settings), protocol, clock);
    }

    private List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace("test").list().getItems().stream()
                .sorted(Comparator.comparing(j -> JobAssignments.parse(annotation(j)).trialIds().getFirst())).toList();
    }

    private static String annotation(Job job) {
        return job.getMetadata().getAnnotations().get(JobAssignments.ANNOTATION);
    }

    @Test
    void startsOneJobPerBatchWithTheConfiguredPod() {
        protocol.offer(1, 2, 3);
        dispatcher("trials-per-job", "2", "gpus-per-job", "1", "cpu", "2", "memory", "4Gi",
                "node-selector", "nvidia.com/gpu.present=true", "tolerations", "nvidia.com/gpu:NoSchedule,dedicated=ml:NoExecute",
                "config-map", "chorus-config", "secret", "chorus-worker", "service-account", "chorus-worker",
                "ttl-seconds-after-finished", "300", "data-claim", "chorus-data", "data-path", "/data").tick();

        List<Job> jobs = jobs();
        assertThat(jobs).hasSize(2);
        assertThat(JobAssignments.parse(annotation(jobs.get(0))).trialIds()).containsExactly(1L, 2L);
        assertThat(JobAssignments.parse(annotation(jobs.get(1))).trialIds()).containsExactly(3L);
        Job job = jobs.getFirst();
        String name = job.getMetadata().getName();
        assertThat(protocol.claimedBy).containsEntry(1L, name).containsEntry(2L, name);
        assertThat(annotation(job)).isEqualTo("1:" + protocol.held.get(1L) + ",2:" + protocol.held.get(2L));
        assertThat(job.getMetadata().getLabels()).containsAllEntriesOf(WorkerJobs.LABELS);
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(300);

        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).containsEntry(WorkerJobs.JOB_LABEL, name);
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getServiceAccountName()).isEqualTo("chorus-worker");
        assertThat(pod.getNodeSelector()).isEqualTo(Map.of("nvidia.com/gpu.present", "true"));
        assertThat(pod.getTolerations()).extracting(Toleration::getKey, Toleration::getOperator, Toleration::getValue,
                Toleration::getEffect).containsExactly(
                tuple("nvidia.com/gpu", "Exists", null, "NoSchedule"),
                tuple("dedicated", "Equal", "ml", "NoExecute"));
        assertThat(pod.getVolumes()).extracting(v -> v.getName()).containsExactly("chorus-data", RestrictedPods.TMP_VOLUME);
        assertThat(pod.getVolumes().getFirst().getPersistentVolumeClaim().getClaimName()).isEqualTo("chorus-data");
        // the Job the cluster received is restricted (WorkerJobsTest has the details)
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(RestrictedPods.IMAGE_USER);

        Container worker = pod.getContainers().getFirst();
        assertThat(worker.getImage()).isEqualTo("chorus:test");
        assertThat(worker.getArgs()).containsExactly("worker");
        assertThat(worker.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"))
                .containsEntry("memory", new Quantity("4Gi"));
        assertThat(worker.getResources().getRequests()).containsEntry("cpu", new Quantity("2"))
                .containsEntry("memory", new Quantity("4Gi"));
        assertThat(worker.getEnv()).extracting(EnvVar::getName).containsExactly(
                "CHORUS_ASSIGNMENTS", "CHORUS_COORDINATOR_URL", "CHORUS_WORKER_NAME", "CHORUS_KUBERNETES_ENABLED");
        assertThat(worker.getEnv().get(0).getValue()).isEqualTo(annotation(job));
        assertThat(worker.getEnv().get(1).getValue()).isEqualTo("http://chorus");
        assertThat(worker.getEnv().get(2).getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(worker.getEnvFrom()).extracting(e -> e.getConfigMapRef() == null ? null : e.getConfigMapRef().getName(),
                e -> e.getSecretRef() == null ? null : e.getSecretRef().getName())
                .containsExactly(tuple("chorus-config", null),
                        tuple(null, "chorus-worker"));
        assertThat(worker.getEnvFrom()).allMatch(KubernetesDispatcherTest::optional);
        assertThat(worker.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/data", "/tmp");
        assertThat(worker.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(worker.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(worker.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    }

    private static boolean optional(EnvFromSource e) {
        return Boolean.TRUE.equals(e.getConfigMapRef() != null ? e.getConfigMapRef().getOptional() : e.getSecretRef().getOptional());
    }

    @Test
    void startsNothingWhenNoTrialWaits() {
        dispatcher().tick();

        assertThat(jobs()).isEmpty();
        assertThat(protocol.claimedBy).isEmpty();
    }

    @Test
    void keepsToMaxJobsAndFillsASlotWhenAJobFinishes() {
        protocol.offer(1, 2, 3, 4, 5);
        KubernetesDispatcher dispatcher = dispatcher("max-jobs", "2");
        dispatcher.tick();
        dispatcher.tick();

        assertThat(jobs()).hasSize(2);
        assertThat(protocol.waiting).containsExactly(3L, 4L, 5L);

        Job done = jobs().getFirst();
        done.setStatus(new JobStatusBuilder().addToConditions(new JobConditionBuilder().withType("Complete")
                .withStatus("True").build()).build());
        client.resource(done).updateStatus();
        dispatcher.tick();

        assertThat(jobs()).hasSize(3);
        assertThat(protocol.waiting).containsExactly(4L, 5L);
    }

    @Test
    void renewsLeasesOnlyUntilTheWorkerRuns() {
        protocol.offer(1, 2);
        KubernetesDispatcher dispatcher = dispatcher();
        dispatcher.tick();
        assertThat(protocol.heartbeats).isEmpty();

        dispatcher.tick();
        assertThat(protocol.heartbeats).containsExactlyInAnyOrder(1L, 2L);

        Pods.create(client, jobs().get(0), Pods.pending());
        Pods.create(client, jobs().get(1), Pods.running());
        protocol.heartbeats.clear();
        dispatcher.tick();
        assertThat(protocol.heartbeats).containsExactly(1L);
    }

    @Test
    void aRestartedDispatcherCarriesOnFromTheJobs() {
        protocol.offer(1, 2, 3);
        dispatcher("max-jobs", "2").tick();
        List<String> before = jobs().stream().map(j -> j.getMetadata().getName()).toList();

        KubernetesDispatcher restarted = dispatcher("max-jobs", "2");
        restarted.tick();
        assertThat(jobs()).extracting(j -> j.getMetadata().getName()).containsExactlyElementsOf(before);
        assertThat(protocol.heartbeats).containsExactlyInAnyOrder(1L, 2L);

        Pods.create(client, jobs().getFirst(), Pods.oomKilled());
        restarted.tick();
        assertThat(protocol.released).containsOnlyKeys(1L);
        assertThat(protocol.claimedBy).containsKey(3L);
    }

    @Test
    void releasesTrialsWhosePodDoesNotStartInTime() {
        protocol.offer(1);
        KubernetesDispatcher dispatcher = dispatcher("pending-timeout", "30m");
        dispatcher.tick();
        Pods.create(client, jobs().getFirst(), Pods.unschedulable());

        now.set(now.get().plus(Duration.ofMinutes(29)));
        dispatcher.tick();
        assertThat(protocol.released).isEmpty();

        now.set(now.get().plus(Duration.ofMinutes(1)));
        dispatcher.tick();
        assertThat(protocol.released.get(1L)).startsWith("job chorus-worker-")
                .endsWith(": its pod did not start within 30m (not scheduled: Unschedulable: 0/3 nodes are available:"
                        + " 3 Insufficient nvidia.com/gpu.)");
        assertThat(jobs()).isEmpty();
    }

    @Test
    void deletesAPendingJobNoneOfWhoseTrialsIsItsOwn() {
        protocol.offer(1, 2);
        KubernetesDispatcher dispatcher = dispatcher("trials-per-job", "2", "max-jobs", "1");
        dispatcher.tick();
        protocol.finish(1);
        dispatcher.tick();
        assertThat(jobs()).hasSize(1);

        protocol.finish(2);
        protocol.offer(3);
        dispatcher.tick();
        assertThat(jobs()).singleElement()
                .satisfies(j -> assertThat(JobAssignments.parse(annotation(j)).trialIds()).containsExactly(3L));
    }
}
