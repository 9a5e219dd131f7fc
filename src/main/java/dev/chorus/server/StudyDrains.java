package dev.chorus.server;

import dev.chorus.study.LogContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.jboss.logging.Logger;

/**
 * Work on a study's state that many callers ask for and one run can do for all of them: each call of
 * {@link #submit} is followed by a run of {@code work} for that study that starts after the call, on the
 * executor, without the caller waiting; calls that arrive while a run is under way lead to one more run,
 * not one each. Per study at most one run at a time, and at most one start per {@code spacing}.
 *
 * <p>{@code work} takes the study's id; it should handle its own failures (what it leaves undone it must
 * be able to find again on a later run or at the next start). A failure it lets through is logged, and
 * the study's next {@link #submit} runs it again.
 *
 * @implNote Thread-safe, and {@link #submit} never blocks: a per-study counter says how many calls a run
 *     has not yet seen; the caller that raises it from 0 hands the study's drain to the executor, and the
 *     drain runs {@code work} until the counter falls back to 0, so at most one drain per study is queued
 *     or running at any time.
 */
final class StudyDrains {

    private static final Logger LOG = Logger.getLogger(StudyDrains.class);
    /** How long {@link #shutdown} waits for the drains under way; what they leave must be found at the next start. */
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private final String what;
    private final Executor executor;
    private final long spacingNanos;
    private final LongConsumer work;
    /** Calls not yet seen by each study's drain; above 0 while a drain is queued or running. */
    private final Map<Long, AtomicInteger> unseen = new ConcurrentHashMap<>();
    /** When each study's last run started ({@link System#nanoTime}). */
    private final Map<Long, Long> started = new ConcurrentHashMap<>();
    /** Studies with a drain queued or running, guarded by {@code this}. */
    private int draining;

    /**
     * @param what     what the work does, for the log ("store the hypervolume")
     * @param executor runs the drains; an {@link ExecutorService} is shut down by {@link #shutdown}
     * @param spacing  the least time between the starts of two runs for one study (zero for none)
     * @param work     the work for a study, given its id
     */
    StudyDrains(String what, Executor executor, Duration spacing, LongConsumer work) {
        this.what = what;
        this.executor = executor;
        this.spacingNanos = spacing.toNanos();
        this.work = work;
    }

    /** Asks for a run of the work for {@code studyId} that starts after this call; returns at once. */
    void submit(long studyId) {
        AtomicInteger count = unseen.computeIfAbsent(studyId, id -> new AtomicInteger());
        if (count.getAndIncrement() > 0) {
            return; // a drain is queued or running: it will see this call
        }
        synchronized (this) {
            draining++;
        }
        try {
            executor.execute(() -> drain(studyId, count));
        } catch (RejectedExecutionException e) { // shutting down: the work must be found again at the next start
            count.set(0);
            done();
        }
    }

    /** Runs until no call is left unseen; a run that would start within the spacing is put off until then. */
    private void drain(long studyId, AtomicInteger count) {
        boolean putOff = false;
        try {
            int seen;
            do {
                Long last = started.get(studyId);
                long early = last == null ? 0 : spacingNanos - (System.nanoTime() - last);
                if (early > 0) {
                    putOff = later(studyId, count, early);
                    return;
                }
                started.put(studyId, System.nanoTime());
                seen = count.get();
                try (LogContext context = LogContext.study(studyId)) { // a pool thread may carry another study's
                    try {
                        work.accept(studyId);
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "Study %d: could not %s; tried again on its next change or at the next start",
                                studyId, what);
                    }
                }
            } while (count.addAndGet(-seen) > 0);
        } finally {
            if (!putOff) {
                done();
            }
        }
    }

    /** Runs the study's drain on the executor in {@code nanos}; false when the executor is shutting down. */
    private boolean later(long studyId, AtomicInteger count, long nanos) {
        try {
            CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS).execute(() -> {
                try {
                    executor.execute(() -> drain(studyId, count));
                } catch (RejectedExecutionException e) { // shut down meanwhile: found again at the next start
                    count.set(0);
                    done();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            count.set(0);
            return false;
        }
    }

    private synchronized void done() {
        draining--;
        notifyAll();
    }

    /**
     * Waits until no drain is queued or running.
     *
     * @return false when {@code limit} passed first
     */
    synchronized boolean awaitIdle(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (draining > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Whether a drain of the study is queued or running. */
    boolean busy(long studyId) {
        AtomicInteger count = unseen.get(studyId);
        return count != null && count.get() > 0;
    }

    /** Lets the drains under way finish, up to {@link #SHUTDOWN_WAIT}, when the executor is this class's to stop. */
    void shutdown() throws InterruptedException {
        if (executor instanceof ExecutorService pool) {
            pool.shutdown();
            if (!pool.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        }
    }
}
