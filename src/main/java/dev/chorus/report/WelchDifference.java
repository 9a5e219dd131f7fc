package dev.chorus.report;

import dev.chorus.trial.Interval;
import java.util.Arrays;
import java.util.Optional;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.commons.math3.stat.descriptive.StatisticalSummary;

/**
 * The difference of two sample means, {@code first − second}, with its two-sided 95 % Welch interval:
 * Student's t with unequal variances, the Welch–Satterthwaite degrees of freedom and the quantile from
 * Commons Math. The same interval as the two-sided Welch test of Commons Math's {@code TTest}: it
 * excludes zero exactly when that test's p-value is below 0.05.
 *
 * @param difference       mean of the first sample minus mean of the second
 * @param low              lower bound of the 95 % interval of the difference
 * @param high             upper bound of the 95 % interval of the difference
 * @param degreesOfFreedom Welch–Satterthwaite degrees of freedom, usually not a whole number
 */
record WelchDifference(double difference, double low, double high, double degreesOfFreedom) {

    /**
     * The interval of {@code mean(first) − mean(second)} at {@link Interval#LEVEL}.
     *
     * @return empty when a sample has fewer than two values, or when neither varies (no spread to
     *     measure the uncertainty by): then the data state no interval
     * @throws IllegalArgumentException when a value is not finite
     */
    static Optional<WelchDifference> of(double[] first, double[] second) {
        if (Arrays.stream(first).anyMatch(v -> !Double.isFinite(v))
                || Arrays.stream(second).anyMatch(v -> !Double.isFinite(v))) {
            throw new IllegalArgumentException("values must be finite: " + Arrays.toString(first) + " and "
                    + Arrays.toString(second));
        }
        return of(new DescriptiveStatistics(first), new DescriptiveStatistics(second));
    }

    /**
     * As {@link #of(double[], double[])}, from each sample's count, mean and sample variance (n − 1 in the
     * denominator): what a sample summed up as it is read gives, without holding its values.
     *
     * @throws IllegalArgumentException when a mean or variance is not finite
     */
    static Optional<WelchDifference> of(StatisticalSummary first, StatisticalSummary second) {
        if (first.getN() < 2 || second.getN() < 2) {
            return Optional.empty();
        }
        if (!Double.isFinite(first.getMean() + first.getVariance() + second.getMean() + second.getVariance())) {
            throw new IllegalArgumentException("values must be finite: means " + first.getMean() + " and "
                    + second.getMean() + ", variances " + first.getVariance() + " and " + second.getVariance());
        }
        double v1 = first.getVariance() / first.getN();
        double v2 = second.getVariance() / second.getN();
        double squaredError = v1 + v2;
        if (squaredError == 0) {
            return Optional.empty();
        }
        double df = squaredError * squaredError
                / (v1 * v1 / (first.getN() - 1) + v2 * v2 / (second.getN() - 1));
        double t = new TDistribution(null, df).inverseCumulativeProbability(0.5 + Interval.LEVEL / 2);
        double halfWidth = t * Math.sqrt(squaredError);
        double difference = first.getMean() - second.getMean();
        return Optional.of(new WelchDifference(difference, difference - halfWidth, difference + halfWidth, df));
    }
}
