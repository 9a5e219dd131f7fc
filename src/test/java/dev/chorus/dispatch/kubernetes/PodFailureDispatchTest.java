package dev.chorus.dispatch.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pod failures reported on the trials, against fabric8's mock API server. */
@EnableKubernetesMockClient(crud = true)
class PodFailureDispatchTest {

    KubernetesClient client;

    @BeforeAll
    static void quiet() {
        Pods.quietMockServer();
    }
    final FakeProtocol protocol = new FakeProtocol();

    private KubernetesDispatcher dispatcher() {
        return new KubernetesDispatcher(client, Settings.of("trials-per-job", "2"), protocol,
                () -> Instant.parse("2026-11-23T10:00:00Z"));
    }

    private List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace("test").list().getItems();
    }

    /** Starts one Job for trials 1 and 2, gives it a pod with {@code status}, and runs one more round. */
    private String failWith(PodStatus status) {
        protocol.offer(1, 2);
        KubernetesDispatcher dispatcher = dispatcher();
        dispatcher.tick();
        Job job = jobs().getFirst();
        String pod = Pods.create(client, job, status).getMetadata().getName();
        dispatcher.tick();
        return pod;
    }

    @Test
    void anImageThatCannotBePulledReleasesTheTrialsAndDeletesTheJob() {
        String pod = failWith(Pods.imagePull());

        String reason = "pod " + pod + ": image chorus:test could not be pulled: rpc error: code = NotFound"
                + " desc = failed to pull and unpack image \"chorus:test\"";
        assertThat(protocol.released).containsEntry(1L, reason).containsEntry(2L, reason);
        assertThat(jobs()).isEmpty();
    }

    @Test
    void anOomKilledPodSaysSo() {
        String pod = failWith(Pods.oomKilled());

        assertThat(protocol.released).containsEntry(1L,
                "pod " + pod + " was killed for exceeding its memory limit (OOMKilled)");
        assertThat(jobs()).isEmpty();
    }

    @Test
    void anEvictedPodGivesTheEvictionMessage() {
        String pod = failWith(Pods.evicted());

        assertThat(protocol.released).containsEntry(2L,
                "pod " + pod + " was evicted: The node was low on resource: ephemeral-storage.");
        assertThat(jobs()).isEmpty();
    }

    @Test
    void anyOtherFailedPodGivesExitCodeAndReason() {
        String pod = failWith(Pods.terminated("Failed", 3, "Error"));

        assertThat(protocol.released).containsEntry(1L,
                "pod " + pod + " failed: container worker exited with code 3 (Error)");
        assertThat(jobs()).isEmpty();
    }

    @Test
    void trialsTheWorkerFinishedBeforeItsPodFailedAreLeftAlone() {
        protocol.offer(1, 2);
        KubernetesDispatcher dispatcher = dispatcher();
        dispatcher.tick();
        protocol.finish(1);
        Pods.create(client, jobs().getFirst(), Pods.oomKilled());
        dispatcher.tick();

        assertThat(protocol.released).containsOnlyKeys(2L);
        assertThat(jobs()).isEmpty();
    }

    @Test
    void aSucceededPodReleasesNothing() {
        failWith(Pods.terminated("Succeeded", 0, "Completed"));

        assertThat(protocol.released).isEmpty();
        assertThat(jobs()).hasSize(1);
    }

    @Test
    void aFailedJobWithoutPodsGivesTheJobsReason() {
        protocol.offer(1);
        KubernetesDispatcher dispatcher = dispatcher();
        dispatcher.tick();
        Job job = jobs().getFirst();
        job.setStatus(new JobStatusBuilder().addToConditions(new JobConditionBuilder().withType("Failed")
                .withStatus("True").withReason("DeadlineExceeded").withMessage("Job was active longer than specified deadline")
                .build()).build());
        client.resource(job).updateStatus();
        dispatcher.tick();

        assertThat(protocol.released).containsEntry(1L, "job " + job.getMetadata().getName()
                + " failed: DeadlineExceeded: Job was active longer than specified deadline");
        assertThat(jobs()).isEmpty();
    }
}
