package dev.chorus.study;

import dev.chorus.mtl.Task;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Split;
import dev.chorus.spec.StudySpec;

/**
 * What one run of a configuration trains with, and the one place that decides it. Replicate 0 is a
 * configuration's first run, with the study's seed; replicate {@code r > 0} is a repeat, with a seed of
 * its own. Without cross-validation ({@code folds} 0), replicate 0 trains on the study's stored split
 * and a repeat on a resample of its train and validation rows, the test rows unchanged. With k folds,
 * replicate {@code r} tests on fold {@code r mod k} of all rows (see {@link Split#fold}), so the k runs
 * of a configuration test every row exactly once; replicates {@code k..2k-1} are the folds of a second
 * partition, and so on (repeated k-fold, for the confirmation's runs). Every baseline a run is compared with trains with
 * the same seed on the same rows, so each delta is paired, and two configurations' runs of one
 * replicate share their draws (common random numbers). Pure functions.
 */
public final class Replicates {

    /**
     * With {@code evaluation.folds: auto}, a study cross-validates when some task has fewer labelled
     * rows than this: its test split of one held-out fifth is then small, and a single one is noisy.
     */
    public static final int SMALL_TASK_ROWS = 1_000;

    private Replicates() {
    }

    /** The training seed of replicate {@code replicate} of any configuration of the study. */
    public static long seed(StudySpec spec, int replicate) {
        if (replicate < 0) {
            throw new IllegalArgumentException("a replicate is 0 or more, was " + replicate);
        }
        return replicate == 0 ? spec.seed() : spec.seed() * 1_000_003L + replicate;
    }

    /**
     * The study's folds, resolved on its rows: the file's k; 0 for {@code off}; for {@code auto},
     * {@code repeats} when that is at least 2, some task has fewer than {@link #SMALL_TASK_ROWS}
     * labelled rows and there are enough rows for that many folds ({@code repeats + 2}), else 0.
     */
    public static int folds(StudySpec spec, Dataset data) {
        StudySpec.Evaluation evaluation = spec.evaluation();
        if (evaluation.folds() != StudySpec.Evaluation.AUTO_FOLDS) {
            return evaluation.folds();
        }
        int k = evaluation.repeats();
        boolean small = spec.tasks().stream().map(Task::name).anyMatch(t -> data.labelledCount(t) < SMALL_TASK_ROWS);
        return k >= 2 && small && data.rows() >= k + 2 ? k : StudySpec.Evaluation.NO_FOLDS;
    }

    /**
     * The rows replicate {@code replicate} trains, validates and tests on.
     *
     * @param stored the study's stored split (or any split of the same rows when {@code folds > 0}: folds
     *               depend only on the set of rows)
     * @param folds  the study's resolved {@link #folds}, 0 for none
     */
    public static Split split(StudySpec spec, Split stored, int folds, int replicate) {
        if (folds > 0) {
            // replicates 0..k-1 are the k folds of the study's partition; each later block of k (the
            // confirmation's runs) is the k folds of a partition of its own: repeated k-fold
            int block = replicate / folds;
            long partition = block == 0 ? spec.seed() : seed(spec, block * folds);
            return stored.fold(folds, replicate % folds, partition, seed(spec, replicate));
        }
        return replicate == 0 ? stored : stored.resampled(seed(spec, replicate));
    }
}
