package dev.chorus.dispatch.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a worker pod's status: whether it has started, and why it cannot run its trials, in words
 * a person reads on the trial. Pure functions of the pod.
 */
final class PodFailures {

    private static final Set<String> IMAGE_PULL = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName");

    private PodFailures() {
    }

    /**
     * Why {@code pod} cannot run its trials, or empty while it may: its image cannot be pulled, it was
     * killed for memory (OOMKilled), it was evicted, or it failed otherwise (exit code and reason).
     * A pod that succeeded has no failure: its worker finished its trials itself.
     */
    static Optional<String> failure(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null) {
            return Optional.empty();
        }
        String name = pod.getMetadata().getName();
        for (ContainerStatus c : containers(status).toList()) {
            ContainerStateWaiting waiting = c.getState() == null ? null : c.getState().getWaiting();
            if (waiting != null && IMAGE_PULL.contains(waiting.getReason())) {
                return Optional.of("pod " + name + ": image " + c.getImage() + " could not be pulled: "
                        + orReason(waiting.getMessage(), waiting.getReason()));
            }
            if ("OOMKilled".equals(terminated(c).map(ContainerStateTerminated::getReason).orElse(null))) {
                return Optional.of("pod " + name + " was killed for exceeding its memory limit (OOMKilled)");
            }
        }
        if ("Evicted".equals(status.getReason())) {
            return Optional.of("pod " + name + " was evicted: " + orReason(status.getMessage(), "no message"));
        }
        if (!"Failed".equals(status.getPhase())) {
            return Optional.empty();
        }
        return containers(status).flatMap(c -> terminated(c).filter(t -> t.getExitCode() != null && t.getExitCode() != 0)
                        .map(t -> "pod " + name + " failed: container " + c.getName() + " exited with code "
                                + t.getExitCode() + " (" + orReason(t.getReason(), "no reason") + ")"
                                + (t.getMessage() == null || t.getMessage().isBlank() ? "" : ": " + t.getMessage().strip()))
                        .stream())
                .findFirst()
                .or(() -> Optional.of("pod " + name + " failed: " + orReason(status.getReason(), "no reason given")
                        + (status.getMessage() == null ? "" : ": " + status.getMessage())));
    }

    /**
     * Whether the pod's worker has started (running or ended): from then on it renews its trials'
     * leases itself. A pending pod (being scheduled, pulling its image) has not.
     */
    static boolean started(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return phase != null && !"Pending".equals(phase) && !"Unknown".equals(phase);
    }

    /** What a pending pod waits for, for the pending timeout's message: unschedulable, or a container's wait. */
    static String pendingReason(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null) {
            return "no status yet";
        }
        Optional<String> unscheduled = status.getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
                .map(PodFailures::describe).findFirst();
        return unscheduled.or(() -> containers(status)
                        .map(c -> c.getState() == null ? null : c.getState().getWaiting())
                        .filter(w -> w != null && w.getReason() != null)
                        .map(w -> w.getReason() + (w.getMessage() == null ? "" : ": " + w.getMessage()))
                        .findFirst())
                .orElse("phase " + status.getPhase());
    }

    private static String describe(PodCondition c) {
        return "not scheduled: " + orReason(c.getReason(), "no reason")
                + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }

    private static Stream<ContainerStatus> containers(PodStatus status) {
        return Stream.of(status.getInitContainerStatuses(), status.getContainerStatuses())
                .filter(l -> l != null).flatMap(List::stream);
    }

    private static Optional<ContainerStateTerminated> terminated(ContainerStatus c) {
        return Stream.of(c.getState(), c.getLastState())
                .filter(s -> s != null && s.getTerminated() != null)
                .map(s -> s.getTerminated()).findFirst();
    }

    private static String orReason(String text, String fallback) {
        return text == null || text.isBlank() ? fallback : text.strip();
    }
}
