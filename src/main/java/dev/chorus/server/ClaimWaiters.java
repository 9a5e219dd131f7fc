package dev.chorus.server;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntUnaryOperator;
import org.jboss.logging.Logger;

/**
 * Where long-polling claims wait when no trial is claimable: a claim waiting here holds no database
 * connection, and on a virtual thread (as the REST claim runs) no platform thread either.
 *
 * <p>One check serves every waiting claim: each {@code every}, while any claim waits, a single query counts
 * the claimable trials (at most as many as claims wait), and that many of the longest-waiting claims wake
 * to try {@code claimNext} themselves; a woken claim that loses the trial to another simply waits again.
 * A thousand idle claims thus cost one count per interval instead of a thousand claim attempts, and a
 * claim still sees a new trial within one interval, as when each claim polled on its own; sooner when
 * whoever queued it says so ({@link #checkSoon}).
 *
 * @implNote Thread-safe. The checks run on one daemon platform thread, started by the first wait and
 *     ended by {@link #stop}.
 */
final class ClaimWaiters {

    private static final Logger LOG = Logger.getLogger(ClaimWaiters.class);

    private final IntUnaryOperator claimable;
    private final Duration every;
    private final Deque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private ScheduledExecutorService checks;
    private volatile boolean stopped;

    /**
     * @param claimable how many trials could be claimed now, given the most worth counting (a
     *                  {@code ClaimStore#claimable})
     * @param every     how often to check while claims wait: the long poll's check interval
     */
    ClaimWaiters(IntUnaryOperator claimable, Duration every) {
        this.claimable = claimable;
        this.every = every;
    }

    /**
     * Waits until a check finds a trial this claim may get, until {@code deadline} ({@link System#nanoTime()})
     * passes, or until {@link #stop}; whichever comes first. The caller then tries to claim (or gives up).
     */
    void await(long deadline) throws InterruptedException {
        CompletableFuture<Void> wake = new CompletableFuture<>();
        synchronized (this) {
            if (stopped) {
                return;
            }
            waiting.addLast(wake);
            if (checks == null) {
                checks = Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().name("chorus-claim-waiters").daemon().factory());
                checks.scheduleWithFixedDelay(this::check, every.toNanos(), every.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        try {
            wake.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // the caller's time is up
        } catch (ExecutionException e) {
            throw new IllegalStateException("a wake-up is only ever completed normally", e);
        } finally {
            synchronized (this) {
                waiting.remove(wake);
            }
        }
    }

    /** One check: wakes as many of the longest-waiting claims as trials are claimable. */
    void check() {
        int count;
        synchronized (this) {
            count = waiting.size();
        }
        if (count == 0) {
            return;
        }
        int trials;
        try {
            trials = claimable.applyAsInt(count);
        } catch (RuntimeException e) { // the database may be away for a moment: the next check counts again
            LOG.warnf("Could not count the claimable trials for %d waiting claims: %s", count, e.getMessage());
            return;
        }
        synchronized (this) {
            for (int i = 0; i < trials && !waiting.isEmpty(); i++) {
                waiting.pollFirst().complete(null);
            }
        }
    }

    /**
     * Checks now, on the checks' thread, rather than at the next interval: trials were just queued. Does
     * nothing while no claim waits.
     */
    void checkSoon() {
        synchronized (this) {
            if (checks == null || stopped || waiting.isEmpty()) {
                return;
            }
            checks.execute(this::check);
        }
    }

    /** How many claims wait now. */
    synchronized int waiting() {
        return waiting.size();
    }

    /** Wakes every waiting claim and lets none wait from now on; ends the checks. */
    void stop() {
        synchronized (this) {
            stopped = true;
            waiting.forEach(w -> w.complete(null));
            waiting.clear();
            if (checks != null) {
                checks.shutdownNow();
            }
        }
    }
}
