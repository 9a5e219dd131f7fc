package dev.chorus.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {

    private Instant now = Instant.parse("2026-12-05T10:00:00Z");
    private final InstantSource clock = () -> now;

    @Test
    void anAddressIsRefusedForTheRestOfTheMinuteOnceItReachesTheLimit() {
        AuthThrottle throttle = new AuthThrottle(3, clock);
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.refusal("203.0.113.9")).isEmpty();
            throttle.failed("203.0.113.9");
            now = now.plusSeconds(10);
        }
        assertThat(throttle.refusal("203.0.113.9")).contains(Duration.ofSeconds(30));
        assertThat(throttle.refusal("198.51.100.7")).as("another address").isEmpty();

        now = now.plusSeconds(30);
        assertThat(throttle.refusal("203.0.113.9")).as("a new minute").isEmpty();
    }

    @Test
    void failuresSpreadOverMinutesNeverReachTheLimit() {
        AuthThrottle throttle = new AuthThrottle(3, clock);
        for (int i = 0; i < 10; i++) {
            throttle.failed("203.0.113.9");
            throttle.failed("203.0.113.9");
            now = now.plus(AuthThrottle.WINDOW);
            assertThat(throttle.refusal("203.0.113.9")).isEmpty();
        }
    }

    @Test
    void theAddressBookStaysBounded() {
        AuthThrottle throttle = new AuthThrottle(3, clock);
        for (int i = 0; i < AuthThrottle.MAX_ADDRESSES; i++) {
            throttle.failed("10.0." + (i / 256) + "." + (i % 256));
        }
        now = now.plus(AuthThrottle.WINDOW);
        throttle.failed("203.0.113.9");
        for (int i = 0; i < 3; i++) {
            throttle.failed("203.0.113.10");
        }
        assertThat(throttle.refusal("203.0.113.10")).isPresent();
    }
}
