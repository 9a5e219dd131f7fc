package dev.chorus.server;

/**
 * A CDI event: a trial of {@code studyId} stopped running (completed, pruned, failed or given back), after
 * its transaction committed. The coordinator observes it to refill the study without waiting for its next
 * tick. Observers run on the caller's thread and must return at once.
 */
public record TrialEnded(long studyId) {
}
