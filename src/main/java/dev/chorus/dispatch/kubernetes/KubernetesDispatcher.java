package dev.chorus.dispatch.kubernetes;

import dev.chorus.dispatch.JobAssignments;
import dev.chorus.dispatch.JobAssignments.Claimed;
import dev.chorus.dispatch.TrialProtocol;
import dev.chorus.dispatch.TrialProtocol.Assignment;
import dev.chorus.dispatch.TrialProtocol.LeaseLostException;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Runs waiting trials as Kubernetes Jobs, one Job per batch of up to {@code trials-per-job} trials
 * (Katib-style): the dispatcher claims the trials on the Job's behalf and writes the claims into the
 * Job ({@link JobAssignments}); the worker in the Job's pod trains them. Each {@link #tick()}:
 * <ol>
 *   <li>lists its Jobs and their pods (by {@link WorkerJobs#LABELS});</li>
 *   <li>gives back the trials of a Job whose pod failed (image pull, OOMKilled, eviction, non-zero exit)
 *       or whose pod did not start within the pending timeout, with the cause as the release reason,
 *       and deletes that Job;</li>
 *   <li>renews the leases of trials whose pod has not started yet (a running worker renews its own),
 *       and deletes a pending Job none of whose trials is still its own;</li>
 *   <li>fills each free slot ({@code max-jobs} minus unfinished Jobs) with a new Job, while trials wait.</li>
 * </ol>
 * Finished Jobs are left to {@code ttlSecondsAfterFinished}.
 *
 * @implNote Not thread-safe: one thread calls {@link #tick()}. The dispatcher keeps no state between
 *     ticks; everything is read back from the Jobs, so a restarted dispatcher carries on where the
 *     last one stopped. Releasing a trial that its worker already finished is ignored
 *     ({@link LeaseLostException}), so repeating a tick after a partial failure is safe.
 */
final class KubernetesDispatcher {

    private static final Logger LOG = Logger.getLogger(KubernetesDispatcher.class);

    private final KubernetesClient client;
    private final DispatcherSettings settings;
    private final TrialProtocol protocol;
    private final InstantSource clock;
    private final WorkerJobs jobs;

    /** @throws IllegalArgumentException when the job template or image settings are unusable */
    KubernetesDispatcher(KubernetesClient client, DispatcherSettings settings, TrialProtocol protocol,
                         InstantSource clock) {
        this.client = client;
        this.settings = settings;
        this.protocol = protocol;
        this.clock = clock;
        this.jobs = new WorkerJobs(settings);
    }

    /**
     * One round: inspect every Job, then start new ones for waiting trials.
     *
     * @throws KubernetesClientException when the API server cannot be read; nothing is claimed then
     */
    void tick() {
        Instant now = clock.instant();
        List<Job> existing = client.batch().v1().jobs().inNamespace(settings.namespace())
                .withLabels(WorkerJobs.LABELS).list().getItems();
        Map<String, List<Pod>> pods = client.pods().inNamespace(settings.namespace())
                .withLabels(WorkerJobs.LABELS).list().getItems().stream()
                .filter(p -> p.getMetadata().getLabels().get(WorkerJobs.JOB_LABEL) != null)
                .collect(Collectors.groupingBy(p -> p.getMetadata().getLabels().get(WorkerJobs.JOB_LABEL)));
        int busy = 0;
        for (Job job : existing) {
            if (job.getMetadata().getDeletionTimestamp() == null
                    && occupiesSlot(job, pods.getOrDefault(job.getMetadata().getName(), List.of()), now)) {
                busy++;
            }
        }
        for (int free = settings.maxJobs() - busy; free > 0; free--) {
            if (!launch(now)) {
                break;
            }
        }
    }

    /** Inspects one Job and acts on it; @return whether it still counts against {@code max-jobs} */
    private boolean occupiesSlot(Job job, List<Pod> pods, Instant now) {
        String name = job.getMetadata().getName();
        String text = job.getMetadata().getAnnotations().get(JobAssignments.ANNOTATION);
        if (text == null) {
            LOG.warnf("Job %s has Chorus's labels but no %s annotation; ignored", name, JobAssignments.ANNOTATION);
            return !finished(job);
        }
        JobAssignments assignments;
        try {
            assignments = JobAssignments.parse(text);
        } catch (IllegalArgumentException e) {
            LOG.warnf("Job %s: its %s annotation is unreadable (%s); ignored", name, JobAssignments.ANNOTATION,
                    e.getMessage());
            return !finished(job);
        }
        Optional<String> failure = pods.stream().map(PodFailures::failure).flatMap(Optional::stream).findFirst()
                .or(() -> jobFailure(job));
        if (failure.isPresent()) {
            giveBack(name, assignments, failure.get());
            return false;
        }
        if (finished(job)) {
            return false;
        }
        if (pods.stream().anyMatch(PodFailures::started)) {
            return true;
        }
        Optional<Instant> created = createdAt(job);
        if (created.isPresent() && !now.isBefore(created.get().plus(settings.pendingTimeout()))) {
            String why = pods.isEmpty() ? "no pod was created" : PodFailures.pendingReason(pods.getFirst());
            giveBack(name, assignments, "job " + name + ": its pod did not start within "
                    + settings.pendingTimeout().toString().substring(2).toLowerCase() + " (" + why + ")");
            return false;
        }
        return renew(name, assignments);
    }

    /** Renews the leases of a Job whose pod has not started; @return false when none is its own any more */
    private boolean renew(String name, JobAssignments assignments) {
        int lost = 0;
        for (Claimed c : assignments.claims()) {
            try {
                protocol.heartbeat(c.trialId(), c.claim());
            } catch (LeaseLostException e) {
                lost++;
            } catch (RuntimeException e) {
                LOG.warnf("Job %s: could not renew the lease of trial %d (%s); trying again next round",
                        name, c.trialId(), e.getMessage());
            }
        }
        if (lost < assignments.claims().size()) {
            return true;
        }
        LOG.infof("Job %s: none of its trials %s is its own any more; deleting it before its pod starts",
                name, assignments.trialIds());
        delete(name);
        return false;
    }

    /** Releases the Job's trials with {@code reason} and deletes it once all are released. */
    private void giveBack(String name, JobAssignments assignments, String reason) {
        List<Long> released = new ArrayList<>();
        boolean pending = false;
        for (Claimed c : assignments.claims()) {
            try {
                protocol.release(c.trialId(), c.claim(), reason);
                released.add(c.trialId());
            } catch (LeaseLostException e) {
                // the worker finished this trial, or it was released already: nothing to give back
            } catch (RuntimeException e) {
                pending = true;
                LOG.warnf("Job %s: could not release trial %d (%s); trying again next round", name, c.trialId(),
                        e.getMessage());
            }
        }
        if (!released.isEmpty()) {
            LOG.warnf("Job %s: released trial(s) %s: %s", name, released, reason);
        }
        if (!pending) {
            delete(name);
        }
    }

    /** Claims a batch and starts its Job; @return false when no more Jobs should start this round */
    private boolean launch(Instant now) {
        String name = "chorus-worker-" + UUID.randomUUID().toString().substring(0, 8);
        List<Claimed> claimed = new ArrayList<>();
        try {
            while (claimed.size() < settings.trialsPerJob()) {
                Optional<Assignment> a = protocol.claim(name, Duration.ZERO);
                if (a.isEmpty()) {
                    break;
                }
                claimed.add(new Claimed(a.get().trialId(), a.get().claim()));
            }
        } catch (RuntimeException e) {
            releaseUnstarted(name, claimed, "the dispatcher could not claim a batch: " + e.getMessage());
            throw e;
        }
        if (claimed.isEmpty()) {
            return false;
        }
        JobAssignments assignments = new JobAssignments(claimed);
        try {
            client.resource(jobs.build(name, assignments, now)).create();
        } catch (KubernetesClientException e) {
            LOG.errorf("Could not create worker Job %s in namespace %s: %s", name, settings.namespace(), e.getMessage());
            releaseUnstarted(name, claimed, "could not create worker Job " + name + ": " + e.getMessage());
            return false;
        }
        LOG.infof("Job %s started for trial(s) %s", name, assignments.trialIds());
        return claimed.size() == settings.trialsPerJob();
    }

    private void releaseUnstarted(String name, List<Claimed> claimed, String reason) {
        for (Claimed c : claimed) {
            try {
                protocol.release(c.trialId(), c.claim(), reason);
            } catch (RuntimeException e) {
                LOG.warnf("Job %s: could not release trial %d (%s); its lease will run out", name, c.trialId(),
                        e.getMessage());
            }
        }
    }

    private void delete(String name) {
        try {
            client.batch().v1().jobs().inNamespace(settings.namespace()).withName(name)
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        } catch (KubernetesClientException e) {
            LOG.warnf("Could not delete Job %s (%s); trying again next round", name, e.getMessage());
        }
    }

    private static boolean finished(Job job) {
        return conditions(job).anyMatch(c -> "True".equals(c.getStatus())
                && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())));
    }

    private static Optional<String> jobFailure(Job job) {
        return conditions(job).filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(c -> "job " + job.getMetadata().getName() + " failed: " + c.getReason()
                        + (c.getMessage() == null ? "" : ": " + c.getMessage()))
                .findFirst();
    }

    private static Stream<JobCondition> conditions(Job job) {
        return job.getStatus() == null ? Stream.empty() : job.getStatus().getConditions().stream();
    }

    /** When the dispatcher created the Job, by its own clock (the API server's timestamp as fallback). */
    private static Optional<Instant> createdAt(Job job) {
        String text = Optional.ofNullable(job.getMetadata().getAnnotations().get(WorkerJobs.CREATED_ANNOTATION))
                .orElse(job.getMetadata().getCreationTimestamp());
        try {
            return Optional.ofNullable(text).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
