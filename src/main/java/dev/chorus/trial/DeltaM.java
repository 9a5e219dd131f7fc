package dev.chorus.trial;

import dev.chorus.mtl.Direction;
import java.util.List;

/**
 * Δm, the multi-task performance measure of LibMTL (Maninis et al. 2019; Lin and Zhang, LibMTL):
 * the mean over tasks of the relative change of each task's metric against its single-task
 * baseline, with the sign flipped for lower-is-better metrics, in percent. Positive means the
 * multi-task models helped on average.
 */
public final class DeltaM {

    private DeltaM() {
    }

    /**
     * The relative change of one task, in percent: {@code sign * (value - baseline) / |baseline| * 100}
     * where sign is +1 for higher-is-better metrics and -1 otherwise. A baseline of exactly 0 has no
     * relative scale; the absolute difference times 100 is used instead.
     *
     * <p>Both values must be finite (Chorus stores no other metric value: {@code Metric.admits}); a change
     * of finite values can still overflow to an infinity (a value far from a tiny baseline), which callers
     * that store it must refuse.
     *
     * @throws IllegalArgumentException when {@code value} or {@code baseline} is NaN or infinite
     */
    public static double relative(double value, double baseline, Direction direction) {
        if (!Double.isFinite(value) || !Double.isFinite(baseline)) {
            throw new IllegalArgumentException("a relative change needs finite values, was " + value
                    + " against a baseline of " + baseline);
        }
        double scale = baseline == 0.0 ? 1.0 : Math.abs(baseline);
        return direction.sign() * (value - baseline) / scale * 100.0;
    }

    /** Δm of a trial on the validation split, the one the search ranks by. */
    public static double of(List<TaskResult> results) {
        return mean(results.stream().map(TaskResult::validation).toList());
    }

    /** Δm of a trial on the held-out test split. */
    public static double ofTest(List<TaskResult> results) {
        return mean(results.stream().map(TaskResult::test).toList());
    }

    /** The mean of the scores' relative changes. */
    public static double mean(List<Score> scores) {
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("Δm needs at least one task result");
        }
        return scores.stream().mapToDouble(Score::delta).average().orElseThrow();
    }
}
