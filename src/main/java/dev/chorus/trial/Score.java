package dev.chorus.trial;

import dev.chorus.mtl.Direction;

/**
 * One task's metric on one split, next to the same metric of the task's single-task baseline.
 *
 * @param value    the task's primary metric, trained in the trial's model
 * @param baseline the same metric of the task trained alone, on the same split
 * @param delta    relative change in percent, positive when the trial beat the baseline (see
 *                 {@link DeltaM#relative})
 */
public record Score(double value, double baseline, double delta) {

    /** Scores {@code value} against {@code baseline} in the metric's direction. */
    public static Score of(double value, double baseline, Direction direction) {
        return new Score(value, baseline, DeltaM.relative(value, baseline, direction));
    }
}
