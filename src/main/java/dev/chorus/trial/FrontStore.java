package dev.chorus.trial;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Each study's stored Pareto front (which first runs are on it) and the history of its hypervolume.
 *
 * <p>Ownership: the front is what the trial recorder last computed from the stored trials; it replaces
 * the front as a whole under {@link #lockFront}, in the transaction that records the completion that
 * changed it, so readers see one front or the next, never a mix.
 *
 * @implNote Implementations are thread-safe and take part in the caller's transaction when there is
 *     one.
 */
public interface FrontStore {

    /**
     * Locks a study's Pareto front until the caller's transaction ends, so that trials completing at
     * the same time update it one after the other.
     */
    void lockFront(long studyId);

    /** Replaces a study's Pareto-front membership. */
    void replaceFront(long studyId, List<Long> trialIds);

    /** The trials on a study's Pareto front in number order, with results. */
    List<Trial> front(long studyId);

    /** Records the hypervolume of a study's front after {@code trialId} completed. */
    void addHypervolume(long studyId, long trialId, int trials, double value, Instant now);

    /** The latest hypervolume recorded for a study, if any. */
    Optional<Double> lastHypervolume(long studyId);

    /** A study's hypervolume history, oldest first. */
    List<HypervolumePoint> hypervolume(long studyId);

    /** The front's hypervolume once {@code trials} trials were complete, the last being {@code trialId}. */
    record HypervolumePoint(int trials, long trialId, double value, Instant at) {
    }
}
