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
import java.util.concurrent.TimeUnit;
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
 *     next. Each loop's ticks run on a daemon platform thread of its own, named after the loop (kept a while
 *     between ticks, {@link Loop#LINGER}): HTTP requests that
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
     * One loop: its ticks one at a time, none once stopped. Thread-safe: {@link #runSoon} may be called from
     * any thread. A tick runs on the loop's own platform thread; after a tick the thread stays
     * {@link #LINGER} for the next one before it ends, so a loop that ticks often (the coordinator, woken by
     * every trial that ends) does not start a thread per tick on the caller's time.
     */
    public static final class Loop {

        /** How long the loop's thread waits for the next tick before it ends. */
        static final Duration LINGER = Duration.ofSeconds(10);

        private final String name;
        private final Runnable tick;
        private final long lingerNanos;
        /** The loop's thread, ticking or waiting for the next tick; null when there is none. */
        private Thread thread;
        /** Whether a tick runs or is about to (the thread was woken for it). */
        private boolean busy;
        /** {@link #runSoon} during a tick: one more right after it. */
        private boolean again;
        private boolean stopped;

        Loop(String name, Runnable tick) {
            this(name, tick, LINGER);
        }

        Loop(String name, Runnable tick, Duration linger) {
            this.name = name;
            this.tick = tick;
            this.lingerNanos = linger.toNanos();
        }

        /**
         * Ticks now, without waiting for the interval: at once when no tick runs, else right after the
         * running one (once, however often this was called meanwhile). Returns at once.
         */
        public void runSoon() {
            synchronized (this) {
                if (busy) {
                    again = true;
                    return;
                }
            }
            run();
        }

        /** Starts a tick unless one runs or the loop stopped; returns at once. */
        void run() {
            synchronized (this) {
                if (stopped || busy) {
                    return;
                }
                busy = true;
                again = false;
                if (thread != null) {
                    notifyAll(); // the waiting thread takes it
                } else {
                    thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
                }
            }
        }

        /** The loop's thread: ticks while asked to, waits {@code lingerNanos} for the next, then ends. */
        private void loop() {
            while (true) {
                try {
                    tick.run();
                } catch (RuntimeException e) {
                    LOG.errorf(e, "%s: the tick failed; the next one runs as usual", name);
                }
                synchronized (this) {
                    if (again && !stopped) {
                        again = false;
                        continue;
                    }
                    busy = false;
                    notifyAll(); // for await
                    if (waitForNext()) {
                        Thread.interrupted(); // a flag the last tick left set is not the next tick's
                        continue;
                    }
                    busy = false;
                    thread = null;
                    notifyAll();
                    return;
                }
            }
        }

        /** Holding the lock: whether a tick was asked for within {@code lingerNanos} (and the loop runs on). */
        private boolean waitForNext() {
            long end = System.nanoTime() + lingerNanos;
            try {
                while (!busy && !stopped) {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                return false;
            }
            return busy && !stopped;
        }

        /** No tick starts after this; a running one is interrupted, a waiting thread ends. */
        synchronized void stop() {
            stopped = true;
            if (thread != null) {
                thread.interrupt();
            }
            notifyAll();
        }

        /** Waits until no tick runs, or until {@code deadline} ({@link System#nanoTime()}). */
        void await(long deadline) {
            synchronized (this) {
                try {
                    while (busy) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            LOG.warnf("%s: a tick still runs after %s; shutting down beside it", name, SHUTDOWN_WAIT);
                            return;
                        }
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** The loop's thread, ticking or waiting for the next tick; null when there is none (for tests). */
        synchronized Thread thread() {
            return thread;
        }
    }
}
