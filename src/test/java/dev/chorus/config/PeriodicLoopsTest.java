package dev.chorus.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A loop's ticks one at a time, a failed tick no end of the loop, and none running past shutdown. */
class PeriodicLoopsTest {

    private static long in(long seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }

    @Test
    void aTickDueWhileOneRunsIsSkipped() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ticks = new AtomicInteger();
        PeriodicLoops.Loop loop = new PeriodicLoops.Loop("test", () -> {
            ticks.incrementAndGet();
            inside.countDown();
            awaitQuietly(release);
        });
        loop.run();
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        loop.run();
        release.countDown();
        loop.await(in(5));
        assertThat(ticks).hasValue(1);
    }

    /** A trial that ends wakes the coordinator: requests during a tick make one more tick, not many. */
    @Test
    void runSoonDuringATickRunsOneMoreRightAfter() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        AtomicInteger ticks = new AtomicInteger();
        PeriodicLoops.Loop loop = new PeriodicLoops.Loop("test", () -> {
            if (ticks.incrementAndGet() == 1) {
                inside.countDown();
                awaitQuietly(release);
            } else {
                second.countDown();
            }
        });
        loop.runSoon();
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        loop.runSoon();
        loop.runSoon();
        loop.runSoon();
        release.countDown();
        assertThat(second.await(5, TimeUnit.SECONDS)).as("the tick asked for during the first").isTrue();
        loop.await(in(5));
        assertThat(ticks).hasValue(2);
    }

    @Test
    void aTickThatThrowsLeavesTheNextOneToRun() {
        AtomicInteger ticks = new AtomicInteger();
        PeriodicLoops.Loop loop = new PeriodicLoops.Loop("test", () -> {
            if (ticks.incrementAndGet() == 1) {
                throw new IllegalStateException("first tick fails");
            }
        });
        loop.run();
        loop.await(in(5));
        loop.run();
        loop.await(in(5));
        assertThat(ticks).hasValue(2);
    }

    @Test
    void eachTickRunsOnAPlatformThreadNamedAfterItsLoop() {
        AtomicReference<Thread> thread = new AtomicReference<>();
        PeriodicLoops.Loop loop = new PeriodicLoops.Loop("chorus-test-loop", () -> thread.set(Thread.currentThread()));
        loop.run();
        loop.await(in(5));
        assertThat(thread.get().getName()).isEqualTo("chorus-test-loop");
        assertThat(thread.get().isVirtual()).isFalse();
        assertThat(thread.get().isDaemon()).isTrue();
    }

    /** The coordinator ticks after every trial that ends: no thread is started per tick while ticks come often. */
    @Test
    void ticksInARowRunOnTheLoopsOneThread() {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        PeriodicLoops.Loop loop = new PeriodicLoops.Loop("test", () -> threads.add(Thread.currentThread()));
        for (int i = 0; i < 3; i++) {
            loop.run();
            loop.await(in(5));
        }
        loop.runSoon();
        loop.await(in(5));
        assertThat(threads).hasSize(4).containsOnly(threads.getFirst());
        assertThat(loop.thread()).as("waiting for the next tick").isSameAs(threads.getFirst());
        loop.stop();
    }

    @Test
    void theLoopsThreadEndsWhenNoTickComesAndANewOneTakesTheNext() throws Exception {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        PeriodicLoops.Loop loop = new PeriodicLoops.Loop("test", () -> threads.add(Thread.currentThread()),
                Duration.ofMillis(20));
        loop.run();
        loop.await(in(5));
        threads.getFirst().join(5_000);
        assertThat(threads.getFirst().isAlive()).isFalse();
        assertThat(loop.thread()).isNull();
        loop.run();
        loop.await(in(5));
        assertThat(threads).hasSize(2);
        assertThat(threads.get(1)).isNotSameAs(threads.getFirst());
    }

    @Test
    void stoppingEndsAThreadWaitingForTheNextTick() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        PeriodicLoops.Loop loop = new PeriodicLoops.Loop("test", ticks::incrementAndGet);
        loop.run();
        loop.await(in(5));
        Thread waiting = loop.thread();
        loop.stop();
        waiting.join(5_000);
        assertThat(waiting.isAlive()).isFalse();
        loop.runSoon();
        loop.await(in(5));
        assertThat(ticks).hasValue(1);
    }

    @Test
    void stoppingInterruptsTheRunningTickAndWaitsForItsEnd() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean ended = new AtomicBoolean();
        PeriodicLoops.Loop loop = new PeriodicLoops.Loop("test", () -> {
            inside.countDown();
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(1));
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            ended.set(true);
        });
        loop.run();
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        loop.stop();
        loop.await(in(5));
        assertThat(interrupted).isTrue();
        assertThat(ended).isTrue();
    }

    @Test
    void noTickStartsOnceStopped() {
        AtomicInteger ticks = new AtomicInteger();
        PeriodicLoops.Loop loop = new PeriodicLoops.Loop("test", ticks::incrementAndGet);
        loop.run();
        loop.await(in(5));
        loop.stop();
        loop.run();
        loop.await(in(5));
        assertThat(ticks).hasValue(1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
