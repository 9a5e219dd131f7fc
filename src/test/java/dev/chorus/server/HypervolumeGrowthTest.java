package dev.chorus.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.search.Hypervolume;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/** The writer's update of a grown front: the old value plus the newcomers' contributions, equal to the whole. */
class HypervolumeGrowthTest {

    private static final double[] REFERENCE = new double[5];

    /** Seeded points on the positive unit sphere: none dominates another. */
    private static List<double[]> sphere(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] p = new double[REFERENCE.length];
            for (int k = 0; k < p.length; k++) {
                p[k] = Math.abs(random.nextGaussian());
            }
            double norm = Math.sqrt(Arrays.stream(p).map(x -> x * x).sum());
            out.add(Arrays.stream(p).map(x -> x / norm).toArray());
        }
        return out;
    }

    private static HypervolumeWriter.Computed exact(List<double[]> points) {
        return new HypervolumeWriter.Computed(points.toArray(double[][]::new),
                new Hypervolume.Estimate(Hypervolume.of(points, REFERENCE), 0, 0));
    }

    @Test
    void aFrontThatGrewAddsTheNewcomersContributions() {
        List<double[]> front = sphere(40, 1);
        HypervolumeWriter.Computed before = exact(front.subList(0, 30));
        double[][] grown = front.toArray(double[][]::new);
        Hypervolume.Estimate after = before.grownTo(grown, REFERENCE);
        assertThat(after).isNotNull();
        assertThat(after.exact()).isTrue();
        assertThat(after.value()).isCloseTo(Hypervolume.of(front, REFERENCE), Percentage.withPercentage(1e-9));
    }

    @Test
    void aMemberPushedOffByANewcomerThatCoversItStillGrows() {
        List<double[]> front = sphere(20, 2);
        HypervolumeWriter.Computed before = exact(front);
        List<double[]> next = new ArrayList<>(front.subList(1, 20));
        next.add(Arrays.stream(front.getFirst()).map(x -> x * 1.1).toArray()); // dominates the first
        Hypervolume.Estimate after = before.grownTo(next.toArray(double[][]::new), REFERENCE);
        assertThat(after).isNotNull();
        assertThat(after.value()).isCloseTo(Hypervolume.of(next, REFERENCE), Percentage.withPercentage(1e-9));
    }

    @Test
    void aMemberThatLeftUncoveredOrAnEstimateMeansComputingItWhole() {
        List<double[]> front = sphere(20, 3);
        assertThat(exact(front).grownTo(front.subList(1, 20).toArray(double[][]::new), REFERENCE))
                .as("a member gone, nothing covers it").isNull();
        HypervolumeWriter.Computed estimated = new HypervolumeWriter.Computed(
                front.subList(0, 10).toArray(double[][]::new), new Hypervolume.Estimate(0.5, 0.001, 100_000));
        assertThat(estimated.grownTo(front.toArray(double[][]::new), REFERENCE)).isNull();
        assertThat(estimated.grownTo(front.subList(0, 10).toArray(double[][]::new), REFERENCE))
                .as("the same front: the same estimate").isSameAs(estimated.value());
    }
}
