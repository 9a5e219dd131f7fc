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

    /**
     * The complete trials of a study not yet taken into its front ({@link ClaimStore#complete} marks them),
     * in the order they finished.
     */
    List<Long> owed(long studyId);

    /** Marks trials as taken into their study's front. Called under {@link #lockFront}. */
    void paid(List<Long> trialIds);

    /** Studies with completions owed to their front (after a crash or a failed update), by id. */
    List<Long> studiesOwed();

    /** Replaces a study's Pareto-front membership. */
    void replaceFront(long studyId, List<Long> trialIds);

    /** The trials on a study's Pareto front in number order, with results. */
    List<Trial> front(long studyId);

    /** The ids of the trials on a study's Pareto front, ascending: one index read, for noticing a change. */
    List<Long> frontIds(long studyId);

    /**
     * Marks a study's front as changed after {@code trialId} completed, with {@code trials} trials complete:
     * its version grows by one, and a hypervolume point for that trial is owed until one with this
     * version is stored ({@link #staleHypervolumes}). Called under {@link #lockFront}.
     */
    void markFront(long studyId, long trialId, int trials, Instant now);

    /**
     * Marks a study's front as changed without a new completion (a configuration settled, the study
     * stopped): as {@link #markFront(long, long, int, Instant)} with the last mark's trial and count, and
     * nothing when the front was never marked.
     */
    void markFront(long studyId, Instant now);

    /** The latest mark of a study's front, if any. */
    Optional<FrontChange> lastChange(long studyId);

    /**
     * Stores a point of a study's hypervolume history, or replaces the one of the same trial when this
     * one is of a newer front version (an older computation never overwrites a newer one).
     */
    void addHypervolume(long studyId, HypervolumePoint point);

    /** The latest hypervolume recorded for a study, if any. */
    Optional<HypervolumePoint> lastHypervolume(long studyId);

    /** A study's hypervolume history, oldest first. */
    List<HypervolumePoint> hypervolume(long studyId);

    /**
     * A study's hypervolume history with at most about {@code maxPoints} points, oldest first, read in
     * time that does not grow with the history: every point while the study has at most
     * {@code maxPoints}; beyond, the range of complete-trial counts from the first point's to the last
     * one's is cut into {@code maxPoints} equal parts and each part gives its last point (the value the
     * history held at the part's end), with the first point ahead of them. The last point is always the
     * exact latest one.
     */
    List<HypervolumePoint> hypervolume(long studyId, int maxPoints);

    /** Studies whose front was marked after their latest hypervolume point was computed, by id. */
    List<Long> staleHypervolumes();

    /**
     * A change of a study's front.
     *
     * @param version counts the changes of the study's front, from 1
     * @param trialId the completion it follows
     * @param trials  trials complete then
     */
    record FrontChange(long version, long trialId, int trials, Instant at) {
    }

    /**
     * The front's hypervolume once {@code trials} trials were complete, the last being {@code trialId}.
     *
     * @param error95      half-width of the value's 95 % interval; 0 when exact
     * @param exact        whether the value is exact rather than a Monte-Carlo estimate
     * @param frontVersion the {@link FrontChange#version} of the front it was computed from
     */
    record HypervolumePoint(int trials, long trialId, double value, double error95, boolean exact, long frontVersion,
                            Instant at) {
    }
}
