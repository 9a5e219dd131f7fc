package dev.chorus.report;

import java.util.List;

/**
 * How a study's Pareto front grew: its hypervolume after each completed trial.
 *
 * @param objectives the objectives of the hypervolume, in order
 * @param reference  the reference point; a trial adds nothing where it is not above it
 * @param method     how it was computed, or why it was not
 * @param history    one point per completed trial, oldest first
 */
public record HypervolumeHistory(long studyId, List<String> objectives, double[] reference, String method,
                                 List<Point> history) {

    /** The hypervolume once {@code trials} trials were complete, the last being {@code trialId}. */
    public record Point(int trials, long trialId, double value) {
    }
}
