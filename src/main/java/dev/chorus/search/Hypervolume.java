package dev.chorus.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The hypervolume indicator for maximised objectives: the volume of the region that the points
 * dominate and that dominates the reference point, that is of the union of the boxes
 * {@code [reference, p]}. Larger is better; a front that dominates another has at least its
 * hypervolume.
 *
 * <p>Two ways to compute it:
 * <ul>
 *   <li>{@link #of}: exact, always. A sweep for 2 objectives, a staircase sweep for 3 (HV3D), WFG
 *       (While, Bradstreet and Barone 2012) above, dropping dominated points at every level. Its cost
 *       grows steeply with the number of objectives on hard fronts.</li>
 *   <li>{@link #estimate}: exact while the exact computation stays within {@link #EXACT_WORK} units of
 *       work (comparisons and points swept; 20 million took 0.3 to 0.8 s on the project's 2-core machine);
 *       past that, a Monte-Carlo estimate from {@value #SAMPLES} points drawn uniformly, with a fixed seed,
 *       in the box from the reference to the front's ideal point, with the half-width of its 95 %
 *       interval (Wilson score). That half-width is at most 0.31 % of the box's volume.</li>
 * </ul>
 *
 * @implNote Stateless, thread-safe, deterministic: the estimate's random points come from a fixed seed.
 */
public final class Hypervolume {

    /** The most work units an exact {@link #estimate} may spend before it samples instead. */
    public static final long EXACT_WORK = 20_000_000;
    /** Points a Monte-Carlo estimate draws. */
    public static final int SAMPLES = 100_000;
    /** The seed of the estimate's points. */
    static final long SEED = 0x5eed_48f0L;
    /** The normal quantile of a two-sided 95 % interval. */
    private static final double Z95 = 1.959964;

    private Hypervolume() {
    }

    /**
     * A hypervolume and how far it may be off.
     *
     * @param value   the hypervolume, exact or estimated
     * @param error95 half-width of the 95 % interval around {@code value}; 0 when exact
     * @param samples points drawn for the estimate; 0 when exact
     */
    public record Estimate(double value, double error95, int samples) {

        /** Whether {@link #value} is exact. */
        public boolean exact() {
            return samples == 0;
        }
    }

    /**
     * The exact hypervolume of {@code points} against {@code reference}. Points that are not strictly
     * better than the reference in every objective add nothing.
     *
     * @throws IllegalArgumentException if a point's length differs from the reference's, or a value
     *     is NaN
     */
    public static double of(List<double[]> points, double[] reference) {
        double[][] shifted = inside(points, reference);
        return new ExactHypervolume(Long.MAX_VALUE).volume(shifted, reference.length);
    }

    /**
     * The exact volume {@code point} adds to the hypervolume of {@code others} (its exclusive
     * contribution), so that {@code of(others + point) == of(others) + contribution(others, point)} up to
     * rounding: a front's hypervolume after a point joins it, without computing it anew.
     *
     * @throws IllegalArgumentException as {@link #of}
     */
    public static double contribution(List<double[]> others, double[] point, double[] reference) {
        double[][] shifted = inside(List.of(point), reference);
        if (shifted.length == 0) {
            return 0;
        }
        return new ExactHypervolume(Long.MAX_VALUE).contribution(inside(others, reference), shifted[0],
                reference.length);
    }

    /**
     * The hypervolume of {@code points} against {@code reference}: exact while that costs at most
     * {@link #EXACT_WORK}, else estimated from {@link #SAMPLES} seeded random points with its 95 % bound.
     *
     * @throws IllegalArgumentException as {@link #of}
     */
    public static Estimate estimate(List<double[]> points, double[] reference) {
        return estimate(points, reference, EXACT_WORK, SAMPLES, SEED);
    }

    /** As {@link #estimate(List, double[])} with the budget, sample count and seed given. */
    static Estimate estimate(List<double[]> points, double[] reference, long exactWork, int samples, long seed) {
        double[][] shifted = inside(points, reference);
        ExactHypervolume exact = new ExactHypervolume(exactWork);
        try {
            return new Estimate(exact.volume(shifted, reference.length), 0, 0);
        } catch (ExactHypervolume.OverBudget e) {
            double[][] front = new ExactHypervolume(Long.MAX_VALUE).nonDominated(shifted, shifted.length,
                    reference.length);
            return monteCarlo(front, reference.length, samples, seed);
        }
    }

    /**
     * Draws {@code samples} points uniformly in the box from the origin to the front's ideal point and
     * counts those some point's box holds; the bound is the Wilson score interval's farther end.
     */
    static Estimate monteCarlo(double[][] front, int dims, int samples, long seed) {
        double[] ideal = new double[dims];
        for (double[] p : front) {
            for (int k = 0; k < dims; k++) {
                ideal[k] = Math.max(ideal[k], p[k]);
            }
        }
        double box = Arrays.stream(ideal).reduce(1, (a, b) -> a * b);
        double[][] byVolume = front.clone(); // big boxes first: most samples stop at the first check
        Arrays.sort(byVolume, Comparator.comparingDouble((double[] p) -> -Arrays.stream(p).limit(dims)
                .reduce(1, (a, b) -> a * b)));
        SplittableRandom random = new SplittableRandom(seed);
        double[] u = new double[dims];
        long hits = 0;
        for (int s = 0; s < samples; s++) {
            for (int k = 0; k < dims; k++) {
                u[k] = random.nextDouble() * ideal[k];
            }
            for (double[] p : byVolume) {
                if (holds(p, u, dims)) {
                    hits++;
                    break;
                }
            }
        }
        double share = (double) hits / samples;
        double z2n = Z95 * Z95 / samples;
        double centre = (share + z2n / 2) / (1 + z2n);
        double half = Z95 / (1 + z2n) * Math.sqrt(share * (1 - share) / samples + z2n / (4.0 * samples));
        double error = Math.max(Math.abs(centre + half - share), Math.abs(centre - half - share));
        return new Estimate(box * share, box * error, samples);
    }

    private static boolean holds(double[] p, double[] u, int dims) {
        for (int k = 0; k < dims; k++) {
            if (u[k] > p[k]) {
                return false;
            }
        }
        return true;
    }

    /** The points strictly above the reference, shifted so that the reference is the origin. */
    private static double[][] inside(List<double[]> points, double[] reference) {
        Objects.requireNonNull(points, "points");
        Objects.requireNonNull(reference, "reference");
        for (double r : reference) {
            if (Double.isNaN(r)) {
                throw new IllegalArgumentException("hypervolume needs a reference point of numbers, got NaN");
            }
        }
        List<double[]> inside = new ArrayList<>();
        for (double[] p : points) {
            if (p.length != reference.length) {
                throw new IllegalArgumentException("a point has " + p.length + " objectives, the reference "
                        + reference.length);
            }
            double[] q = new double[p.length];
            boolean above = true;
            for (int i = 0; i < p.length; i++) {
                if (Double.isNaN(p[i])) {
                    throw new IllegalArgumentException("hypervolume needs values, got NaN");
                }
                q[i] = p[i] - reference[i];
                above &= q[i] > 0;
            }
            if (above) {
                inside.add(q);
            }
        }
        return inside.toArray(double[][]::new);
    }
}
