package dev.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HypervolumeTest {

    private static double[] p(double... v) {
        return v;
    }

    @Test
    void twoDimensionalStaircase() {
        assertThat(Hypervolume.of(List.of(p(2, 1), p(1, 2)), p(0, 0))).isCloseTo(3, within(1e-12));
        assertThat(Hypervolume.of(List.of(p(3, 1), p(2, 2), p(1, 3)), p(0, 0))).isCloseTo(6, within(1e-12));
    }

    @Test
    void threeDimensionalBoxesAndUnions() {
        assertThat(Hypervolume.of(List.<double[]>of(p(1, 2, 3)), p(0, 0, 0))).isCloseTo(6, within(1e-12));
        assertThat(Hypervolume.of(List.of(p(2, 1, 1), p(1, 2, 1)), p(0, 0, 0))).isCloseTo(3, within(1e-12));
        // boxes 1x1x2 and 2x2x1 overlapping in 1x1x1: 2 + 4 - 1
        assertThat(Hypervolume.of(List.of(p(2, 2, 2), p(3, 3, 1)), p(1, 1, 0))).isCloseTo(5, within(1e-12));
    }

    @Test
    void referenceShiftsAndNegativeObjectives() {
        assertThat(Hypervolume.of(List.<double[]>of(p(-1, -2)), p(-3, -3))).isCloseTo(2, within(1e-12));
    }

    @Test
    void dominatedDuplicateAndOutsidePointsAddNothing() {
        double base = Hypervolume.of(List.of(p(2, 1), p(1, 2)), p(0, 0));
        assertThat(Hypervolume.of(List.of(p(2, 1), p(1, 2), p(1, 1), p(2, 1), p(-1, 5), p(5, 0)), p(0, 0)))
                .isCloseTo(base, within(1e-12));
        assertThat(Hypervolume.of(List.of(), p(0, 0))).isZero();
    }

    @Test
    void aDominatingFrontHasAtLeastTheVolume() {
        double worse = Hypervolume.of(List.of(p(1, 1, 1), p(0.5, 2, 0.5)), p(0, 0, 0));
        double better = Hypervolume.of(List.of(p(1, 1, 1), p(0.5, 2, 0.5), p(1.5, 0.2, 1)), p(0, 0, 0));
        assertThat(better).isGreaterThan(worse);
    }

    @Test
    void rejectsMismatchedLengths() {
        assertThatThrownBy(() -> Hypervolume.of(List.<double[]>of(p(1, 2, 3)), p(0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Brute force: unit cells of an integer grid, each counted when some point's box holds it. */
    private static double gridVolume(List<double[]> points, int dims, int side) {
        int cells = (int) Math.pow(side, dims);
        int covered = 0;
        for (int c = 0; c < cells; c++) {
            int[] cell = new int[dims];
            for (int k = 0, rest = c; k < dims; k++, rest /= side) {
                cell[k] = rest % side;
            }
            boolean in = false;
            for (double[] p : points) {
                boolean holds = true;
                for (int k = 0; k < dims; k++) {
                    holds &= p[k] >= cell[k] + 1;
                }
                in |= holds;
            }
            covered += in ? 1 : 0;
        }
        return covered;
    }

    /** Brute force: inclusion-exclusion over every subset of the points (reference at the origin). */
    private static double inclusionExclusion(List<double[]> points, int dims) {
        double total = 0;
        for (int subset = 1; subset < 1 << points.size(); subset++) {
            double[] corner = new double[dims];
            java.util.Arrays.fill(corner, Double.POSITIVE_INFINITY);
            for (int i = 0; i < points.size(); i++) {
                if ((subset >> i & 1) == 1) {
                    for (int k = 0; k < dims; k++) {
                        corner[k] = Math.min(corner[k], points.get(i)[k]);
                    }
                }
            }
            double box = 1;
            for (double v : corner) {
                box *= Math.max(0, v);
            }
            total += (Integer.bitCount(subset) % 2 == 1 ? 1 : -1) * box;
        }
        return total;
    }

    @Test
    void tinyIntegerFrontsMatchACountOfGridCells() {
        SplittableRandom random = new SplittableRandom(18);
        for (int round = 0; round < 300; round++) {
            int dims = 2 + round % 5;
            int n = 1 + random.nextInt(8);
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                points.add(random.ints(dims, 0, 5).asDoubleStream().toArray()); // 0: on the box, adds nothing
            }
            double[] origin = new double[dims];
            assertThat(Hypervolume.of(points, origin)).as("round %d: %d points in %d objectives", round, n, dims)
                    .isEqualTo(gridVolume(points, dims, 4));
        }
    }

    @Test
    void tinyRealFrontsMatchInclusionExclusion() {
        SplittableRandom random = new SplittableRandom(2012);
        for (int round = 0; round < 300; round++) {
            int dims = 2 + round % 6;
            int n = 1 + random.nextInt(7);
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                points.add(random.doubles(dims, 0, 1).toArray());
            }
            if (round % 4 == 0) {
                points.add(points.getFirst().clone()); // a duplicate
            }
            double expected = inclusionExclusion(points, dims);
            assertThat(Hypervolume.of(points, new double[dims])).as("round %d", round)
                    .isCloseTo(expected, within(1e-12 * Math.max(1, expected)));
        }
    }

    @Test
    void theEstimateHoldsTheExactValueWithinItsBound() {
        int held = 0;
        int fronts = 40;
        for (int f = 0; f < fronts; f++) {
            SplittableRandom random = new SplittableRandom(f);
            int dims = 3 + f % 5;
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                double[] x = random.doubles(dims, 0.01, 1).toArray();
                double norm = Math.sqrt(java.util.Arrays.stream(x).map(v -> v * v).sum());
                points.add(java.util.Arrays.stream(x).map(v -> v / norm).toArray());
            }
            double[] origin = new double[dims];
            double exact = Hypervolume.of(points, origin);
            Hypervolume.Estimate e = Hypervolume.estimate(points, origin, 0, 20_000, f);
            assertThat(e.exact()).isFalse();
            assertThat(e.samples()).isEqualTo(20_000);
            assertThat(e.error95()).isPositive();
            held += Math.abs(e.value() - exact) <= e.error95() ? 1 : 0;
            assertThat(Hypervolume.estimate(points, origin, 0, 20_000, f)).as("seeded: the same estimate again")
                    .isEqualTo(e);
        }
        // 95 % intervals: 38 of 40 expected; 35 or fewer would happen by chance with probability under 5 %
        assertThat(held).as("fronts whose exact value lies within the estimate's 95 %% bound").isGreaterThan(35);
    }

    @Test
    void theEstimateIsExactWithinTheBudgetAndBoundedPastIt() {
        List<double[]> points = List.of(p(2, 1, 1), p(1, 2, 1), p(1, 1, 2));
        Hypervolume.Estimate exact = Hypervolume.estimate(points, p(0, 0, 0));
        assertThat(exact).isEqualTo(new Hypervolume.Estimate(4, 0, 0));
        Hypervolume.Estimate sampled = Hypervolume.estimate(points, p(0, 0, 0), 0, Hypervolume.SAMPLES, 7);
        assertThat(sampled.error95() / 8).as("share of the 2x2x2 box").isLessThanOrEqualTo(0.0031);
        assertThat(Hypervolume.estimate(List.of(), p(0, 0), 0, 100, 1)).isEqualTo(new Hypervolume.Estimate(0, 0, 0));
    }
}
