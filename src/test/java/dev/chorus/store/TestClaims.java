package dev.chorus.store;

import dev.chorus.trial.ClaimStore;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Claims for tests that need running trials without a worker: a claim with a 60 s lease. */
public final class TestClaims {

    public static final Duration LEASE = Duration.ofSeconds(60);

    private TestClaims() {
    }

    /** A trial held by a claim. */
    public record Held(Trial trial, UUID claim) {
        public long id() {
            return trial.id();
        }
    }

    public static Optional<Held> tryClaim(ClaimStore claims, String worker, Instant now) {
        UUID claim = UUID.randomUUID();
        return claims.claimNext(worker, claim, now.plus(LEASE), now).map(t -> new Held(t, claim));
    }

    /** A claim started at {@code startedAt} whose lease runs until {@code leaseUntil}. */
    public static Held claim(ClaimStore claims, String worker, Instant startedAt, Instant leaseUntil) {
        UUID claim = UUID.randomUUID();
        return claims.claimNext(worker, claim, leaseUntil, startedAt).map(t -> new Held(t, claim))
                .orElseThrow(() -> new AssertionError("no trial waiting to claim"));
    }

    public static Held claim(ClaimStore claims, String worker, Instant now) {
        return tryClaim(claims, worker, now).orElseThrow(() -> new AssertionError("no trial waiting to claim"));
    }

    public static boolean complete(ClaimStore claims, Held held, List<TaskResult> results, double deltaM, Instant now) {
        return claims.complete(held.id(), held.claim(), results, deltaM, deltaM, now);
    }
}
