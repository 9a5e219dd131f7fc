package dev.chorus.mtl.train.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.mtl.train.weighting.LossWeighting.Step;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NashMtlTest {

    @Test
    void weightsSolveTheBargainingCondition() {
        SplittableRandom random = new SplittableRandom(12);
        for (int trial = 0; trial < 30; trial++) {
            int tasks = 2 + trial % 4;
            double[][] g = Steps.randomGradients(random, tasks, 10);
            for (double[] row : g) {
                row[0] += 2; // a common descent direction exists
            }
            double[][] gram = Vectors.gram(g);
            double[] alpha = NashMtl.bargain(gram);
            assertThat(alpha).as("trial %d", trial).isNotNull();
            for (int i = 0; i < tasks; i++) {
                assertThat(alpha[i]).isPositive();
                assertThat(alpha[i] * Vectors.dot(gram[i], alpha)).isCloseTo(1, within(1e-8));
            }
        }
    }

    @Test
    void orthogonalGradientsAreWeighedByTheirInverseNorms() {
        // G = diag(1, 4) / |G|_F: alpha_t^2 G_tt = 1, so alpha is proportional to 1 / |g_t|
        double[] w = Steps.weights(new NashMtl().combine(Steps.gradients(new double[][] {{1, 0}, {0, 2}})));
        double f = Math.sqrt(17);
        assertThat(w).containsExactly(new double[] {Math.sqrt(f), Math.sqrt(f / 4)}, within(1e-9));
    }

    @Test
    void opposedGradientsKeepThePreviousWeights() {
        NashMtl nash = new NashMtl();
        double[] first = Steps.weights(nash.combine(Steps.gradients(new double[][] {{1, 0}, {0, 2}})));
        double[] w = Steps.weights(nash.combine(Steps.gradients(new double[][] {{1, 0}, {-1, 0}})));
        assertThat(w).containsExactly(first);
    }

    @Test
    void absentTaskWeighsZeroAndKeepsItsWeight() {
        NashMtl nash = new NashMtl();
        Step step = new Step(new double[] {1, 0, 1}, new boolean[] {true, false, true},
                new double[][] {{1, 0}, {3, 3}, {0, 2}}, 0, 0);
        double[] w = Steps.weights(nash.combine(step));
        assertThat(w[1]).isZero();
        assertThat(w[0]).isGreaterThan(w[2]);
        double[] all = Steps.weights(nash.combine(Steps.gradients(new double[][] {{-1, 0}, {1, 0}, {0, 0}})));
        assertThat(all[1]).as("no solution: previous weights, task 1's still the initial 1").isEqualTo(1);
    }
}
