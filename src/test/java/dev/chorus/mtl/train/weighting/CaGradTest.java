package dev.chorus.mtl.train.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CaGradTest {

    @Test
    void zeroCIsTheAverageGradient() {
        double[][] g = {{1, 0, 2}, {-3, 1, 0}, {0, 4, 1}};
        double[] d = Steps.gradient(new CaGrad(0, true).combine(Steps.gradients(g)));
        assertThat(d).containsExactly(new double[] {-2.0 / 3, 5.0 / 3, 1}, within(1e-12));
    }

    @Test
    void worstTaskImprovesAtLeastAsMuchAsUnderTheAverageWithinTheBall() {
        SplittableRandom random = new SplittableRandom(2);
        for (int trial = 0; trial < 100; trial++) {
            int tasks = 2 + trial % 4;
            double[][] g = Steps.randomGradients(random, tasks, 8);
            double[] g0 = Steps.gradient(new CaGrad(0, false).combine(Steps.gradients(g)));
            double[] d = Steps.gradient(new CaGrad(CaGrad.C, false).combine(Steps.gradients(g)));
            double scale = Vectors.dot(g0, g0);
            assertThat(worst(g, d)).as("trial %d", trial).isGreaterThanOrEqualTo(worst(g, g0) - 1e-6 * scale);
            double[] diff = d.clone();
            Vectors.axpy(-1, g0, diff);
            assertThat(Vectors.norm(diff)).isCloseTo(CaGrad.C * Vectors.norm(g0), within(1e-6));
        }
    }

    @Test
    void conflictIsResolvedForTwoOpposedTasks() {
        double[][] g = {{1, 0.2}, {-0.8, 0.3}}; // the average hurts neither, but barely helps task 1
        double[] g0 = Steps.gradient(new CaGrad(0, false).combine(Steps.gradients(g)));
        double[] d = Steps.gradient(new CaGrad(CaGrad.C, false).combine(Steps.gradients(g)));
        assertThat(worst(g, d)).isGreaterThan(worst(g, g0));
    }

    @Test
    void dualSolutionIsOptimalForTwoTasks() {
        double[][] g = {{2, 0.5}, {-1, 1}};
        CaGrad cagrad = new CaGrad(CaGrad.C, true);
        double[][] a = Vectors.gram(g);
        double[] w = cagrad.solveDual(a);
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= 10000; i++) {
            best = Math.min(best, dual(a, new double[] {i / 10000.0, 1 - i / 10000.0}));
        }
        assertThat(dual(a, w)).isLessThanOrEqualTo(best + 1e-9);
    }

    @Test
    void defaultRescalesByOnePlusCSquared() {
        double[][] g = {{1, 0.2}, {-0.8, 0.3}, {0.1, -1}};
        double[] raw = Steps.gradient(new CaGrad(CaGrad.C, false).combine(Steps.gradients(g)));
        double[] scaled = Steps.gradient(new CaGrad(CaGrad.C, true).combine(Steps.gradients(g)));
        for (int i = 0; i < raw.length; i++) {
            assertThat(scaled[i]).isCloseTo(raw[i] / 1.25, within(1e-12));
        }
    }

    private static double worst(double[][] g, double[] d) {
        double min = Double.POSITIVE_INFINITY;
        for (double[] row : g) {
            min = Math.min(min, Vectors.dot(row, d));
        }
        return min;
    }

    /** The paper's dual {@code g_w . g0 + c ||g0|| ||g_w||} from the Gram matrix. */
    private static double dual(double[][] a, double[] w) {
        int n = w.length;
        double wAb = 0;
        double wAw = 0;
        double bAb = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                wAb += w[i] * a[i][j] / n;
                wAw += w[i] * a[i][j] * w[j];
                bAb += a[i][j] / n / n;
            }
        }
        return wAb + CaGrad.C * Math.sqrt(bAb) * Math.sqrt(wAw);
    }
}
