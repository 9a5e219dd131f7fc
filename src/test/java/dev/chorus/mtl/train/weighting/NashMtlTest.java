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
        // G = diag(1, 4): alpha_t^2 G_tt = 1, alpha_t = 1 / |g_t|, on the scale of the raw gradients as in LibMTL
        double[] w = Steps.weights(new NashMtl().combine(Steps.gradients(new double[][] {{1, 0}, {0, 2}})));
        assertThat(w).containsExactly(new double[] {1, 0.5}, within(1e-12));
    }

    @Test
    void rankDeficientGramMatricesAreSolved() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 30; trial++) {
            double[][] base = Steps.randomGradients(random, 2, 8);
            base[0][0] += 2;
            base[1][0] += 2;
            double a = random.nextDouble(0.1, 2);
            double b = random.nextDouble(0.1, 2);
            double[] third = base[0].clone();
            for (int i = 0; i < third.length; i++) {
                third[i] = a * base[0][i] + b * base[1][i];
            }
            // rank 2 with three tasks, and a duplicated task (rank 2 with four)
            double[][] g = {base[0], base[1], third, base[1].clone()};
            double[][] gram = Vectors.gram(g);
            double[] alpha = NashMtl.bargain(gram);
            assertThat(alpha).as("trial %d", trial).isNotNull();
            assertThat(NashMtl.residual(gram, alpha)).as("trial %d", trial).isLessThanOrEqualTo(NashMtl.TOLERANCE);
            assertThat(alpha[1]).isCloseTo(alpha[3], within(1e-9 * alpha[1]));
        }
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
