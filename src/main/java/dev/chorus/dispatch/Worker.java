package dev.chorus.dispatch;

import dev.chorus.dispatch.AssignmentRunner.Outcome;
import dev.chorus.dispatch.TrialProtocol.Assignment;
import dev.chorus.dispatch.TrialProtocol.LeaseLostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * A worker: claims trials from a coordinator, keeps their leases alive with heartbeats while it trains
 * them, and finishes each as complete, pruned or failed. The same loop runs inside the coordinator's
 * process, in a {@code worker} process beside it and in a Kubernetes pod; only the
 * {@link TrialProtocol} behind it differs.
 *
 * @implNote Not thread-safe: one thread runs one worker. Heartbeats run on a daemon thread of its own.
 */
public final class Worker {

    private static final Logger LOG = Logger.getLogger(Worker.class);

    private final TrialProtocol coordinator;
    private final AssignmentRunner runner;
    private final String name;
    private final ScheduledExecutorService heartbeats;

    public Worker(TrialProtocol coordinator, AssignmentRunner runner, String name) {
        this.coordinator = coordinator;
        this.runner = runner;
        this.name = name;
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("chorus-heartbeat-" + name).daemon().unstarted(r));
    }

    public String name() {
        return name;
    }

    /**
     * Claims and runs trials until {@code keepGoing} says stop, or no trial came for {@code idleExit}
     * (never, when null). Each claim waits up to {@code claimWait} for a trial (long poll). A completed
     * trial's completion claims the next trial in the same exchange ({@link TrialProtocol#completeAndClaim}).
     *
     * @return how many trials this worker finished
     */
    public int run(BooleanSupplier keepGoing, Duration claimWait, Duration idleExit) {
        int finished = 0;
        long idleSince = System.nanoTime();
        Optional<Assignment> next = Optional.empty();
        while (keepGoing.getAsBoolean()) {
            Optional<Assignment> claimed = next.isPresent() ? next : coordinator.claim(name, claimWait);
            next = Optional.empty();
            if (claimed.isPresent()) {
                next = run(claimed.get(), keepGoing.getAsBoolean() ? claimWait : null);
                finished++;
                idleSince = System.nanoTime();
            } else if (idleExit != null && System.nanoTime() - idleSince >= idleExit.toNanos()) {
                LOG.infof("Worker %s: no trial for %s; exiting after %d trial(s)", name, idleExit, finished);
                break;
            }
        }
        next.ifPresent(a -> release(a, "the worker stopped before it began the trial"));
        return finished;
    }

    /** Runs one claimed trial to its end; never throws for a problem of the trial's own. */
    public void runOne(Assignment a) {
        run(a, null);
    }

    /**
     * Runs one claimed trial to its end; never throws for a problem of the trial's own.
     *
     * @param claimWait how long its completion waits for the next trial, claimed with it; null claims none
     * @return the next trial, claimed with the completion
     */
    private Optional<Assignment> run(Assignment a, Duration claimWait) {
        long every = Math.max(1, a.heartbeatSeconds());
        ScheduledFuture<?> beat = heartbeats.scheduleWithFixedDelay(() -> heartbeat(a), 0, every, TimeUnit.SECONDS);
        long start = System.nanoTime();
        Optional<Assignment> next = Optional.empty();
        try {
            Outcome outcome = runner.run(a, coordinator);
            switch (outcome) {
                case Outcome.Completed done when claimWait != null -> next = coordinator.completeAndClaim(a.trialId(),
                        a.claim(), done.completion(), name, claimWait, null);
                case Outcome.Completed done -> coordinator.complete(a.trialId(), a.claim(), done.completion());
                case Outcome.Pruned pruned -> coordinator.prune(a.trialId(), a.claim());
            }
            LOG.infof("Worker %s: trial %d of study %d %s in %.1f s", name, a.number(), a.studyId(),
                    outcome instanceof Outcome.Pruned ? "pruned" : "finished", (System.nanoTime() - start) / 1e9);
        } catch (LeaseLostException e) {
            LOG.warnf("Worker %s: trial %d of study %d is no longer ours (%s); its result is dropped", name,
                    a.number(), a.studyId(), e.getMessage());
        } catch (Exception | LinkageError e) {
            LOG.errorf(e, "Worker %s: trial %d of study %d failed", name, a.number(), a.studyId());
            try {
                coordinator.fail(a.trialId(), a.claim(), e.getClass().getSimpleName() + ": " + e.getMessage());
            } catch (LeaseLostException lost) {
                LOG.warnf("Worker %s: could not fail trial %d, no longer ours: %s", name, a.number(), lost.getMessage());
            }
        } finally {
            beat.cancel(false);
        }
        return next;
    }

    /** Gives back a trial this worker claimed but will not run. */
    private void release(Assignment a, String reason) {
        try {
            coordinator.release(a.trialId(), a.claim(), reason);
        } catch (RuntimeException e) { // its first lease runs out and it waits again anyway
            LOG.warnf("Worker %s: could not give back trial %d: %s", name, a.number(), e.getMessage());
        }
    }

    private void heartbeat(Assignment a) {
        try {
            coordinator.heartbeat(a.trialId(), a.claim());
        } catch (LeaseLostException e) {
            LOG.warnf("Worker %s: lease of trial %d lost: %s", name, a.number(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf("Worker %s: heartbeat for trial %d failed (%s); trying again", name, a.number(), e.getMessage());
        }
    }

    /** Stops the heartbeat thread; call once the worker will run no more trials. */
    public void close() {
        heartbeats.shutdownNow();
    }
}
