package dev.chorus.trial;

import dev.chorus.mtl.Metric;
import dev.chorus.mtl.TrainSettings;
import java.time.Instant;

/**
 * A task trained alone: the reference every trial's result for that task is compared with.
 *
 * @param hash         content hash of data, split, task, training settings and seed: equal hashes
 *                     mean the same baseline, so it is trained once and reused by every study
 * @param validation   the task's metric on the validation split, at the epoch early stopping chose
 * @param test         the task's metric on the held-out test split
 * @param trainSeconds how long training took
 */
public record Baseline(String hash, String task, Metric metric, double validation, double test,
                       TrainSettings settings,
                       double trainSeconds, Instant createdAt) {
}
