package dev.chorus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
        Thread first = Thread.ofVirtual().start(loop::run);
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        loop.run();
        release.countDown();
        first.join();
        assertThat(ticks).hasValue(1);
    }

    @Test
    void aTickThatThrowsLeavesTheNextOneToRun() {
        AtomicInteger ticks = new AtomicInteger();
        PeriodicLoops.Loop loop = new PeriodicLoops.Loop("test", () -> {
            if (ticks.incrementAndGet() == 1) {
                throw new IllegalStateException("first tick fails");
            }
        });
        assertThatThrownBy(loop::run).hasMessage("first tick fails");
        loop.run();
        assertThat(ticks).hasValue(2);
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
        Thread.ofVirtual().start(loop::run);
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
        loop.stop();
        loop.await(in(1));
        loop.run();
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
