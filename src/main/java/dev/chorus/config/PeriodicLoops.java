package dev.chorus.config;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The periodic loops of a serving process (the coordinator, the overnight jobs, the Kubernetes dispatch),
 * as jobs of Quarkus's scheduler. Each owner starts its loop from its own {@code StartupEvent} observer,
 * and only where it should run: the conditions stay with the owner.
 *
 * <p>A loop's ticks never overlap: a tick that comes due while the last one still runs is skipped. A tick
 * that throws is logged and the next one runs. At shutdown, before the datasource closes, no loop starts
 * another tick, and a running one is interrupted and awaited up to {@link #SHUTDOWN_WAIT}.
 *
 * @implNote Quarkus's scheduler looks at its triggers once a second: an interval under 1 s acts as 1 s, and a
 *     loop's first tick comes within a second of its delay. Intervals are kept from one tick's start to the
 *     next. Each tick runs on a daemon platform thread of its own, named after the loop: HTTP requests that
 *     fill the worker pool (long-polling claims) cannot hold a loop up, a long tick (the warm start's
 *     affinity training) raises no blocked-thread warnings, and native code that keeps state per thread
 *     (PyTorch's grad mode) sees one thread for the whole tick, which a virtual thread would not promise.
 */
@ApplicationScoped
public class PeriodicLoops {

    private static final Logger LOG = Logger.getLogger(PeriodicLoops.class);
    /** How long shutdown waits for running ticks, all loops together. */
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);
    /** The scheduler's resolution: it looks at its triggers once a second. */
    static final Duration RESOLUTION = Duration.ofSeconds(1);

    private final Scheduler scheduler;
    private final List<Loop> loops = new CopyOnWriteArrayList<>();

    PeriodicLoops(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Runs {@code tick} every {@code every} (at least {@link #RESOLUTION}), the first time after
     * {@code delay}, until shutdown.
     *
     * @param name the job's identity in the scheduler, unique in this process
     */
    public Loop start(String name, Duration delay, Duration every, Runnable tick) {
        Loop loop = new Loop(name, tick);
        loops.add(loop);
        // the job only starts the tick's thread; the loop itself skips a tick while one runs
        Scheduler.JobDefinition<?> job = scheduler.newJob(name)
                .setInterval(max(every, RESOLUTION).toString())
                .setTask(execution -> loop.run(), true);
        if (delay.isPositive()) {
            job.setDelayed(delay.toString());
        }
        job.schedule();
        return loop;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Before other shutdown observers (which may close what a tick uses) and before the datasource closes. */
    void stop(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) ShutdownEvent event) {
        loops.forEach(Loop::stop);
        long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
        for (Loop loop : loops) {
            loop.await(deadline);
        }
    }

    /**
     * One loop: its ticks one at a time, each on a thread of its own, none once stopped. Thread-safe:
     * {@link #runSoon} may be called from any thread.
     */
    public static final class Loop {

        private final String name;
        private final Runnable tick;
        private final Semaphore ticking = new Semaphore(1);
        private final AtomicBoolean again = new AtomicBoolean();
        private Thread running;
        private boolean stopped;

        Loop(String name, Runnable tick) {
            this.name = name;
            this.tick = tick;
        }

        /**
         * Ticks now, without waiting for the interval: at once when no tick runs, else right after the
         * running one (once, however often this was called meanwhile). Returns at once.
         */
        public void runSoon() {
            again.set(true);
            run();
        }

        /** Starts a tick unless one runs or the loop stopped; returns at once. */
        void run() {
            if (!ticking.tryAcquire()) {
                return;
            }
            synchronized (this) {
                if (stopped) {
                    ticking.release();
                    return;
                }
                again.set(false);
                running = Thread.ofPlatform().name(name).daemon().start(this::tick);
            }
        }

        private void tick() {
            try {
                tick.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s: the tick failed; the next one runs as usual", name);
            } finally {
                synchronized (this) {
                    running = null;
                }
                ticking.release();
            }
            if (again.get()) {
                run();
            }
        }

        /** No tick starts after this; a running one is interrupted. */
        synchronized void stop() {
            stopped = true;
            if (running != null) {
                running.interrupt();
            }
        }

        /** Waits until no tick runs, or until {@code deadline} ({@link System#nanoTime()}). */
        void await(long deadline) {
            try {
                if (ticking.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    ticking.release();
                } else {
                    LOG.warnf("%s: a tick still runs after %s; shutting down beside it", name, SHUTDOWN_WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
