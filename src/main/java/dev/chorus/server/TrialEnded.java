package dev.chorus.server;

/**
 * A CDI event: trial {@code trialId} of {@code studyId} stopped running (completed, pruned, failed or given
 * back), after its transaction committed. The coordinator observes it to refill the study without waiting
 * for its next tick, and to show the study's sampler that trial alone. Observers run on the caller's thread
 * and must return at once.
 */
public record TrialEnded(long studyId, long trialId) {
}
