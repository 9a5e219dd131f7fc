package dev.chorus.study;

import dev.chorus.mtl.data.Split;

/**
 * What one run of a configuration trains with: replicate 0 (a configuration's first run) trains with the
 * study's seed on the study's stored split; replicate {@code r > 0} (a repeat) with a seed of its own on
 * a resample of the stored train and validation rows, the test rows unchanged. Every baseline a run is
 * compared with trains with the same seed on the same rows, so each delta is paired, and two
 * configurations' runs of one replicate share their draws (common random numbers). Pure functions.
 */
public final class Replicates {

    private Replicates() {
    }

    /** The training seed of replicate {@code replicate} of any configuration of the study. */
    public static long seed(StudySpec spec, int replicate) {
        if (replicate < 0) {
            throw new IllegalArgumentException("a replicate is 0 or more, was " + replicate);
        }
        return replicate == 0 ? spec.seed() : spec.seed() * 1_000_003L + replicate;
    }

    /** The rows replicate {@code replicate} trains, validates and tests on. */
    public static Split split(StudySpec spec, Split stored, int replicate) {
        return replicate == 0 ? stored : stored.resampled(seed(spec, replicate));
    }
}
