package dev.chorus.trial;

import dev.chorus.mtl.Metric;
import dev.chorus.mtl.TrainSettings;
import java.time.Instant;

/**
 * A task trained alone: the reference every trial's result for that task is compared with.
 *
 * @param hash         the key the coordinator computed for it ({@code study.BaselineKeys}): a hash of
 *                     the study, its data, the run's rows, the task, training settings and seed; equal
 *                     keys mean the same baseline, trained once and shared by the study's trials of
 *                     one replicate
 * @param validation   the task's metric on the validation split, at the epoch early stopping chose
 * @param test         the task's metric on the held-out test split
 * @param trainSeconds how long training took
 */
public record Baseline(String hash, String task, Metric metric, double validation, double test,
                       TrainSettings settings,
                       double trainSeconds, Instant createdAt) {

    /**
     * Whether {@code other} is the same baseline's result: same task, metric and values on both splits
     * (how long it trained, with which settings and when may differ between two workers that trained it).
     */
    public boolean sameValues(Baseline other) {
        return task.equals(other.task) && metric == other.metric && Double.compare(validation, other.validation) == 0
                && Double.compare(test, other.test) == 0;
    }
}
