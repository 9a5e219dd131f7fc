package dev.chorus.mtl.train.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.mtl.Weighting;
import dev.chorus.mtl.train.weighting.LossWeighting.Step;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MgdaUbTest {

    private final MgdaUb plain = new MgdaUb(MgdaUb.Normalization.NONE);

    @Test
    void twoGradientsGiveTheAnalyticMinNormPoint() {
        // gamma (1,0) + (1-gamma) (0,2) is shortest at gamma = 4/5: (0.8, 0.4)
        double[] d = Steps.gradient(plain.combine(Steps.gradients(new double[][] {{1, 0}, {0, 2}})));
        assertThat(d).containsExactly(new double[] {0.8, 0.4}, within(1e-12));
    }

    @Test
    void dominatedPairTakesTheShorterEndClippedAsInTheAuthorsCode() {
        // g1.g2 >= |g1|^2: the min-norm point is g1, which the code reaches as 0.999 g1 + 0.001 g2
        double[] d = Steps.gradient(plain.combine(Steps.gradients(new double[][] {{1, 0}, {3, 1}})));
        assertThat(d).containsExactly(new double[] {0.999 + 0.003, 0.001}, within(1e-12));
    }

    @Test
    void manyGradientsGiveTheMinNormPointACommonDescentDirection() {
        SplittableRandom random = new SplittableRandom(8);
        double worstGap = 0;
        double worstSlack = 0;
        for (int trial = 0; trial < 20; trial++) {
            double[][] g = Steps.randomGradients(random, 5, 12);
            for (double[] row : g) {
                row[0] += 2; // share a component so that the min-norm point is not zero
            }
            double[] d = Steps.gradient(plain.combine(Steps.gradients(g)));
            double normSq = Vectors.dot(d, d);
            double exactSq = exactMinNormSquared(g);
            assertThat(exactSq).isGreaterThan(0);
            worstGap = Math.max(worstGap, normSq / exactSq - 1);
            for (double[] row : g) {
                // optimality of the min-norm point: g_t . d >= |d|^2 > 0 for every t
                worstSlack = Math.max(worstSlack, 1 - Vectors.dot(row, d) / normSq);
            }
        }
        assertThat(worstGap).isBetween(-1e-9, 1e-9);
        assertThat(worstSlack).isLessThan(1e-6);
    }

    /** The min-norm point's squared norm by a long projected-gradient run, as a reference. */
    private static double exactMinNormSquared(double[][] g) {
        double[][] gram = Vectors.gram(g);
        int n = g.length;
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += gram[i][i];
        }
        double[] a = new double[n];
        java.util.Arrays.fill(a, 1.0 / n);
        for (int iter = 0; iter < 100_000; iter++) {
            double[] y = a.clone();
            for (int i = 0; i < n; i++) {
                y[i] -= Vectors.dot(gram[i], a) / trace;
            }
            a = Vectors.projectToSimplex(y);
        }
        double[] d = Vectors.combine(a, g, g[0].length);
        return Vectors.dot(d, d);
    }

    @Test
    void solverMatchesABruteForceSearchOverThreeVectors() {
        double[][] g = {{2, 0.1}, {-1, 1.5}, {0.3, -1}};
        double[] alpha = MinNormSolver.solve(Vectors.gram(g));
        assertThat(Steps.sum(alpha)).isCloseTo(1, within(1e-9));
        double found = Vectors.norm(Vectors.combine(alpha, g, 2));
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= 400; i++) {
            for (int j = 0; i + j <= 400; j++) {
                double[] a = {i / 400.0, j / 400.0, (400 - i - j) / 400.0};
                best = Math.min(best, Vectors.norm(Vectors.combine(a, g, 2)));
            }
        }
        assertThat(found).isLessThanOrEqualTo(best + 1e-9);
    }

    @Test
    void defaultNormalisesByLossTimesGradientNormButAppliesTheRawGradients() {
        LossWeighting mgda = LossWeighting.of(Weighting.MGDA_UB, null, 0.01, 1);
        // normalised (1,0) and (0,1): alpha = 1/2 each, applied to the raw (1,0) and (0,2)
        double[] d = Steps.gradient(mgda.combine(Steps.gradients(new double[] {1, 1},
                new double[] {1, 0}, new double[] {0, 2})));
        assertThat(d).containsExactly(new double[] {0.5, 1.0}, within(1e-12));
    }

    @Test
    void singlePresentTaskGetsItsOwnGradient() {
        Step step = new Step(new double[] {0, 2}, new boolean[] {false, true},
                new double[][] {{9, 9}, {1, -3}}, 0, 0);
        assertThat(Steps.gradient(plain.combine(step))).containsExactly(1, -3);
    }
}
