package dev.chorus;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The application's clock in every {@code @QuarkusTest}: the system clock moved by an offset that a
 * test sets instead of sleeping ({@link #advance}), and must set back ({@link #reset}, in a
 * {@code finally} or {@code @AfterEach}: leases and budgets of other tests read the same clock).
 * Thread-safe.
 */
@Alternative
@Priority(1)
@Singleton
public class TestClock implements InstantSource {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    /** Moves the clock forward by {@code by}. */
    public void advance(Duration by) {
        offset.updateAndGet(o -> o.plus(by));
    }

    /** Back to the system's time. */
    public void reset() {
        offset.set(Duration.ZERO);
    }
}
