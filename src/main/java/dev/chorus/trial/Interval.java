package dev.chorus.trial;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The mean of repeated measurements with its two-sided 95 % confidence interval (Student's t over
 * the runs, quantiles from Commons Math): how sure a stated number is. With one run the interval is
 * unknown and both bounds are null, which readers must show as "one run: no interval", never as a
 * certainty.
 *
 * @param mean the mean of the runs
 * @param runs how many runs it rests on
 * @param low  lower bound of the 95 % interval, null with fewer than two runs
 * @param high upper bound of the 95 % interval, null with fewer than two runs
 */
public record Interval(double mean, int runs, Double low, Double high) {

    /** The confidence level of every interval Chorus states. */
    public static final double LEVEL = 0.95;

    public Interval {
        if (runs < 1) {
            throw new IllegalArgumentException("an interval needs at least one run, had " + runs);
        }
    }

    /**
     * The mean and 95 % t-interval of {@code runs}.
     *
     * @throws IllegalArgumentException when there is no run or a run is not finite
     */
    public static Interval of(double... runs) {
        if (runs.length == 0) {
            throw new IllegalArgumentException("an interval needs at least one run");
        }
        if (Arrays.stream(runs).anyMatch(v -> !Double.isFinite(v))) {
            throw new IllegalArgumentException("runs must be finite: " + Arrays.toString(runs));
        }
        double mean = Arrays.stream(runs).average().orElseThrow();
        if (runs.length == 1) {
            return new Interval(mean, 1, null, null);
        }
        double ss = 0;
        for (double v : runs) {
            ss += (v - mean) * (v - mean);
        }
        double standardError = Math.sqrt(ss / (runs.length - 1) / runs.length);
        double t = new TDistribution(null, runs.length - 1).inverseCumulativeProbability(0.5 + LEVEL / 2);
        return new Interval(mean, runs.length, mean - t * standardError, mean + t * standardError);
    }

    /**
     * A percentage as people should read it: {@code "+1.23 % [-0.40, +2.86], 3 runs"}, or
     * {@code "+1.23 %, 1 run: no interval"}.
     */
    public String percent() {
        return meanPercent() + (known() ? " " : ", ") + spread();
    }

    /**
     * A difference of two percentages in percentage points: {@code "+1.23 [-0.40, +2.86], 3 runs"}, or the
     * mean alone, {@code "+1.23"}, for a single run.
     */
    public String points() {
        return known() ? String.format(Locale.ROOT, "%+.2f [%+.2f, %+.2f], %d runs", mean, low, high, runs)
                : String.format(Locale.ROOT, "%+.2f", mean);
    }

    /** The mean alone as a percentage, {@code "+1.23 %"}: for a table cell whose {@link #spread()} follows. */
    public String meanPercent() {
        return String.format(Locale.ROOT, "%+.2f %%", mean);
    }

    /**
     * What the mean rests on, in percentage points: {@code "[-0.40, +2.86], 3 runs"}, or
     * {@code "1 run: no interval"}.
     */
    public String spread() {
        return known()
                ? String.format(Locale.ROOT, "[%+.2f, %+.2f], %d runs", low, high, runs)
                : String.format(Locale.ROOT, "%d run: no interval", runs);
    }

    /** Whether the interval is known (two runs or more). */
    public boolean known() {
        return low != null && high != null;
    }

    /** Whether the whole interval lies above zero: the only case in which a gain may be claimed. */
    public boolean aboveZero() {
        return known() && low > 0;
    }

    /** Whether the whole interval lies below zero: the only case in which a loss may be claimed. */
    public boolean belowZero() {
        return known() && high < 0;
    }
}
