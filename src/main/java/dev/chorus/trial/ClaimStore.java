package dev.chorus.trial;

import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Claims of trials by workers, under leases: the store side of the trial protocol.
 *
 * <p>A claim moves one waiting trial to running and gives it to one worker until {@code leaseUntil};
 * every later change the worker makes names the claim and takes effect only while that claim still
 * holds the running trial. A finishing change records nothing twice: it returns false when the claim
 * no longer holds a running trial, and {@link #claim} then tells whether the same claim had already
 * finished it (a repeated call) or lost it.
 *
 * @implNote Implementations are thread-safe and take part in the caller's transaction when there is
 *     one. {@link #claimNext} must be safe against any number of concurrent workers, in this process or
 *     others, and hand each waiting trial to exactly one of them.
 */
public interface ClaimStore {

    /** Claims the oldest waiting trial of any running study for {@code worker}, or returns empty. */
    default Optional<Trial> claimNext(String worker, UUID claim, Instant leaseUntil, Instant now) {
        return claimNext(worker, claim, leaseUntil, now, null);
    }

    /**
     * Claims the oldest waiting trial of running study {@code study} (any running study when null) for
     * {@code worker}, or returns empty.
     */
    Optional<Trial> claimNext(String worker, UUID claim, Instant leaseUntil, Instant now, Long study);

    /**
     * How many trials {@link #claimNext} could hand out now, counting at most {@code atMost}: waiting
     * trials of running studies, those another transaction is claiming included.
     */
    int claimable(int atMost);

    /** The current (or, for a finished trial, the last) claim of a trial; empty when it never had one. */
    Optional<Claim> claim(long trialId);

    /**
     * A trial without its results, with its current (or last) claim, in one read: what a finishing call
     * checks first. @return empty when there is no such trial
     */
    Optional<Held> held(long trialId);

    /**
     * Locks the trial's row until the caller's transaction ends, if {@code claim} holds the running trial;
     * what the transaction then writes for the trial cannot race a lease running out.
     * @return false when the claim does not hold the trial (nothing is locked)
     */
    boolean lockHeld(long trialId, UUID claim);

    /** Extends the lease. @return false when the claim no longer holds the running trial */
    boolean renew(long trialId, UUID claim, Instant leaseUntil);

    /**
     * Stores one step's intermediate values ({@code values} maps task to value), replacing values
     * already stored for the same step and task. @return false when the claim no longer holds the trial
     */
    boolean report(long trialId, UUID claim, int step, Map<String, Double> values);

    /**
     * Finishes the trial as complete with its results and their Δm on the validation and the test split,
     * owed to its study's front ({@link FrontStore#owed}) unless it is a stability variant.
     * @return false when the claim lost it
     */
    boolean complete(long trialId, UUID claim, List<TaskResult> results, double deltaM, double testDeltaM, Instant now);

    /** Finishes the trial as pruned. @return false when the claim lost it */
    boolean prune(long trialId, UUID claim, Instant now);

    /** Finishes the trial as failed with {@code error}. @return false when the claim lost it */
    boolean fail(long trialId, UUID claim, String error, Instant now);

    /**
     * Takes the trial from its claim: waiting again with {@code reason} kept as its error text, or failed
     * with it once the trial has had {@code maxAttempts} claims. @return false when the claim lost it
     */
    boolean release(long trialId, UUID claim, String reason, int maxAttempts, Instant now);

    /**
     * Releases every running trial whose lease ran out before {@code now}, as {@link #release} does.
     * @return the trials released, as they are now: waiting again, or failed (without results)
     */
    List<Trial> expire(int maxAttempts, Instant now);

    /**
     * A trial as {@link #held} read it.
     *
     * @param trial the trial, its results left out (a running trial has none)
     * @param claim its current or last claim; null when it was never claimed
     */
    record Held(Trial trial, Claim claim) {
        /** True while {@code claimId} holds the running trial. */
        public boolean by(UUID claimId) {
            return claim != null && claim.holds(claimId);
        }
    }

    /** A trial's claim: which worker holds (or last held) it, until when, and the trial's state. */
    record Claim(UUID id, long trialId, TrialState state, String worker, Instant leaseUntil, int attempts) {
        /** True while this claim holds the running trial. */
        public boolean holds(UUID claim) {
            return state == TrialState.RUNNING && id.equals(claim);
        }
    }
}
