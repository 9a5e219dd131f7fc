package dev.chorus.web;

import dev.chorus.config.ChorusConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Limits failed authentications per client address ({@code chorus.auth.failed-attempts-per-minute}),
 * so nobody can guess tokens at the speed of the network, and logs them in summary: one line when an
 * address reaches the limit, one when its minute ends with attempts refused, never one per attempt.
 * Minutes are fixed windows that start at an address's first failure.
 *
 * <p>Thread-safe. Remembers at most {@value #MAX_ADDRESSES} addresses; past that, windows that have
 * ended are forgotten first.
 */
@ApplicationScoped
class AuthThrottle {

    private static final Logger LOG = Logger.getLogger(AuthThrottle.class);
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_ADDRESSES = 10_000;

    /** One address's current minute. */
    private record Window(Instant start, int failures, int refused) {

        boolean over(Instant now) {
            return !now.isBefore(start.plus(WINDOW));
        }
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final InstantSource clock;
    private final int limit;

    @Inject
    AuthThrottle(ChorusConfig config, InstantSource clock) {
        this(config.auth().failedAttemptsPerMinute(), clock);
    }

    AuthThrottle(int limit, InstantSource clock) {
        if (limit < 1) {
            throw new IllegalArgumentException("chorus.auth.failed-attempts-per-minute must be 1 or more, was "
                    + limit);
        }
        this.limit = limit;
        this.clock = clock;
    }

    /**
     * Whether a credential from {@code address} may be checked now; when not, counts it as refused.
     *
     * @return empty when it may, else how long until it may
     */
    Optional<Duration> refusal(String address) {
        Instant now = clock.instant();
        Window w = windows.computeIfPresent(address, (a, old) -> {
            if (old.over(now)) {
                summarise(a, old);
                return null;
            }
            return old.failures() >= limit ? new Window(old.start(), old.failures(), old.refused() + 1) : old;
        });
        if (w == null || w.failures() < limit) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, w.start().plus(WINDOW)));
    }

    /** Counts a failed authentication from {@code address}. */
    void failed(String address) {
        Instant now = clock.instant();
        if (windows.size() >= MAX_ADDRESSES) {
            windows.entrySet().removeIf(e -> e.getValue().over(now));
        }
        windows.compute(address, (a, old) -> {
            Window w = old == null || old.over(now) ? new Window(now, 0, 0) : old;
            if (old != null && old != w) {
                summarise(a, old);
            }
            Window next = new Window(w.start(), w.failures() + 1, w.refused());
            if (next.failures() == limit) {
                LOG.warnf("Authentication: %d failed attempts from %s within a minute; its credentials are refused "
                        + "until %s", limit, a, w.start().plus(WINDOW));
            }
            return next;
        });
    }

    /** A credential refused unchecked: its address failed too often this minute. */
    static final class TooManyAttempts extends RuntimeException {

        private final Duration retryAfter;

        TooManyAttempts(Duration retryAfter) {
            super("too many failed authentications from this address; try again in " + seconds(retryAfter) + " s");
            this.retryAfter = retryAfter;
        }

        long retryAfterSeconds() {
            return seconds(retryAfter);
        }

        private static long seconds(Duration d) {
            return Math.max(1, (d.toMillis() + 999) / 1000);
        }
    }

    private static void summarise(String address, Window ended) {
        if (ended.refused() > 0) {
            LOG.warnf("Authentication: %d more attempts from %s were refused unchecked in the minute from %s",
                    ended.refused(), address, ended.start());
        }
    }
}
