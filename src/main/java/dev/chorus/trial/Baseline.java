package dev.chorus.trial;

import dev.chorus.mtl.Metric;
import dev.chorus.mtl.TrainSettings;
import java.time.Instant;

/**
 * A task trained alone: the reference every trial's result for that task is compared with.
 *
 * @param hash         content hash of data, split, task, training settings and seed: equal hashes
 *                     mean the same baseline, so it is trained once and reused by every study
 * @param value        the task's metric on the test split
 * @param trainSeconds how long training took
 */
public record Baseline(String hash, String task, Metric metric, double value, TrainSettings settings,
                       double trainSeconds, Instant createdAt) {
}
