package dev.chorus.mtl.train.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.mtl.train.weighting.LossWeighting.Step;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PcGradTest {

    @Test
    void twoConflictingGradientsAreEachProjectedOntoTheOthersNormalPlane() {
        double[] g1 = {1, 0};
        double[] g2 = {-1, 1};
        double[] d = Steps.gradient(new PcGrad(1).combine(Steps.gradients(new double[][] {g1, g2})));
        // g1 - (g1.g2/|g2|^2) g2 = (0.5, 0.5); g2 - (g1.g2/|g1|^2) g1 = (0, 1)
        assertThat(d).containsExactly(new double[] {0.5, 1.5}, within(1e-12));
        assertThat(Vectors.dot(d, g1)).isGreaterThanOrEqualTo(0);
        assertThat(Vectors.dot(d, g2)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void conflictingRandomPairsNeverHurtEitherTask() {
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 200; i++) {
            double[][] g = Steps.randomGradients(random, 2, 6);
            double[] d = Steps.gradient(new PcGrad(i).combine(Steps.gradients(g)));
            assertThat(Vectors.dot(d, g[0])).isGreaterThanOrEqualTo(-1e-12);
            assertThat(Vectors.dot(d, g[1])).isGreaterThanOrEqualTo(-1e-12);
        }
    }

    @Test
    void withoutConflictItIsThePlainSum() {
        double[][] g = {{1, 0, 0}, {1, 1, 0}, {0, 1, 2}};
        assertThat(Steps.gradient(new PcGrad(9).combine(Steps.gradients(g))))
                .containsExactly(new double[] {2, 2, 2}, within(1e-12));
    }

    @Test
    void orderOfThreeOrMoreIsDrawnFromTheSeed() {
        double[][] g = {{1, 0}, {-0.8, 0.7}, {-0.3, -1}};
        double[] a = Steps.gradient(new PcGrad(5).combine(Steps.gradients(g)));
        assertThat(Steps.gradient(new PcGrad(5).combine(Steps.gradients(g)))).containsExactly(a);
        boolean orderMatters = false;
        for (long seed = 0; seed < 20 && !orderMatters; seed++) {
            double[] b = Steps.gradient(new PcGrad(seed).combine(Steps.gradients(g)));
            orderMatters = Math.abs(b[0] - a[0]) + Math.abs(b[1] - a[1]) > 1e-9;
        }
        assertThat(orderMatters).as("some seed gives another projection order").isTrue();
    }

    @Test
    void absentTaskIsLeftOut() {
        Step step = new Step(new double[] {1, 0}, new boolean[] {true, false},
                new double[][] {{1, 2}, {-5, -5}}, 0, 0);
        assertThat(Steps.gradient(new PcGrad(1).combine(step))).containsExactly(1, 2);
    }
}
