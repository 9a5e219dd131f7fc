package dev.chorus.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The long polls' waiting room: one count wakes as many claims as trials are claimable, oldest first. */
class ClaimWaitersTest {

    /** Checks run only when a test calls {@link ClaimWaiters#check}: the timer's interval is an hour. */
    private static final Duration NEVER = Duration.ofHours(1);
    private static final long FAR = Duration.ofMinutes(10).toNanos();

    private final AtomicInteger claimable = new AtomicInteger();
    private final List<Integer> asked = new ArrayList<>();
    private final ClaimWaiters waiters = new ClaimWaiters(atMost -> {
        asked.add(atMost);
        return Math.min(atMost, claimable.get());
    }, NEVER);

    @AfterEach
    void stop() {
        waiters.stop();
    }

    /** Starts a claim that waits (on a virtual thread) and returns once it is queued. */
    private Thread waiting() {
        int before = waiters.waiting();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                waiters.await(System.nanoTime() + FAR);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        while (waiters.waiting() == before) {
            Thread.onSpinWait();
        }
        return t;
    }

    @Test
    void aCheckWakesAsManyOfTheLongestWaitingClaimsAsTrialsAreClaimable() throws Exception {
        Thread first = waiting();
        Thread second = waiting();
        Thread third = waiting();

        waiters.check();
        assertThat(asked).as("nothing claimable: the count asks about every waiting claim").containsExactly(3);
        assertThat(waiters.waiting()).isEqualTo(3);

        claimable.set(2);
        waiters.check();
        first.join();
        second.join();
        assertThat(asked).containsExactly(3, 3);
        assertThat(waiters.waiting()).isEqualTo(1);
        assertThat(third.isAlive()).isTrue();
    }

    @Test
    void noClaimWaitingMeansNoCount() {
        claimable.set(5);
        waiters.check();
        assertThat(asked).isEmpty();
    }

    @Test
    void aClaimWhoseTimeIsUpReturnsWithoutACheck() throws Exception {
        waiters.await(System.nanoTime());
        waiters.await(System.nanoTime() - FAR);
        assertThat(waiters.waiting()).isZero();
        assertThat(asked).isEmpty();
    }

    @Test
    void stopWakesEveryClaimAndNoneWaitsAfterwards() throws Exception {
        Thread a = waiting();
        Thread b = waiting();
        waiters.stop();
        a.join();
        b.join();
        waiters.await(System.nanoTime() + FAR); // returns at once
        assertThat(waiters.waiting()).isZero();
    }

    @Test
    void aFailingCountKeepsTheClaimsWaitingForTheNextCheck() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ClaimWaiters flaky = new ClaimWaiters(atMost -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("the database is away");
            }
            return atMost;
        }, NEVER);
        try {
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    flaky.await(System.nanoTime() + FAR);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            while (flaky.waiting() == 0) {
                Thread.onSpinWait();
            }
            flaky.check();
            assertThat(flaky.waiting()).isEqualTo(1);
            flaky.check();
            t.join();
            assertThat(flaky.waiting()).isZero();
        } finally {
            flaky.stop();
        }
    }
}
