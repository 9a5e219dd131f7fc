package dev.chorus.dispatch.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Worker pods in the states the Kubelet reports, created on the mock API server as a Job's pod. */
final class Pods {

    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    private Pods() {
    }

    /** Keeps the mock server from logging every request at INFO. */
    static void quietMockServer() {
        MOCK_SERVER_LOG.setLevel(Level.WARNING);
    }

    /** Creates {@code job}'s pod with {@code status}, labelled as the Job controller would from its template. */
    static Pod create(KubernetesClient client, Job job, PodStatus status) {
        return client.pods().inNamespace(job.getMetadata().getNamespace()).resource(new PodBuilder()
                .withNewMetadata().withName(job.getMetadata().getName() + "-x7k2p")
                .withLabels(job.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
                .withNewSpec().addNewContainer().withName("worker").withImage("chorus:test").endContainer().endSpec()
                .withStatus(status).build()).create();
    }

    static PodStatus pending() {
        return new PodStatusBuilder().withPhase("Pending").build();
    }

    static PodStatus unschedulable() {
        return new PodStatusBuilder().withPhase("Pending").addNewCondition().withType("PodScheduled")
                .withStatus("False").withReason("Unschedulable")
                .withMessage("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.").endCondition().build();
    }

    static PodStatus running() {
        return new PodStatusBuilder().withPhase("Running").addToContainerStatuses(new ContainerStatusBuilder()
                .withName("worker").withImage("chorus:test").withNewState().withNewRunning().endRunning().endState()
                .build()).build();
    }

    static PodStatus imagePull() {
        return new PodStatusBuilder().withPhase("Pending").addToContainerStatuses(new ContainerStatusBuilder()
                .withName("worker").withImage("chorus:test").withNewState().withNewWaiting().withReason("ErrImagePull")
                .withMessage("rpc error: code = NotFound desc = failed to pull and unpack image \"chorus:test\"")
                .endWaiting().endState().build()).build();
    }

    static PodStatus oomKilled() {
        return terminated("Failed", 137, "OOMKilled");
    }

    static PodStatus evicted() {
        return new PodStatusBuilder().withPhase("Failed").withReason("Evicted")
                .withMessage("The node was low on resource: ephemeral-storage.").build();
    }

    static PodStatus terminated(String phase, int exitCode, String reason) {
        return new PodStatusBuilder().withPhase(phase).addToContainerStatuses(new ContainerStatusBuilder()
                .withName("worker").withImage("chorus:test").withNewState().withNewTerminated().withExitCode(exitCode)
                .withReason(reason).endTerminated().endState().build()).build();
    }
}
