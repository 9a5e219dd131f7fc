package dev.chorus.mtl.train.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.mtl.train.weighting.LossWeighting.Step;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AlignedMtlTest {

    @Test
    void jacobiReconstructsTheMatrix() {
        double[][] g = Steps.randomGradients(new SplittableRandom(1), 5, 7);
        double[][] m = Vectors.gram(g);
        double[][] v = new double[5][5];
        double[] values = AlignedMtl.Jacobi.eigen(m, v);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                double r = 0;
                for (int k = 0; k < 5; k++) {
                    r += v[i][k] * values[k] * v[j][k];
                }
                assertThat(r).isCloseTo(m[i][j], within(1e-9));
            }
        }
    }

    @Test
    void orthogonalGradientsAreScaledToTheSmallestNorm() {
        double[] d = Steps.gradient(new AlignedMtl().combine(Steps.gradients(new double[][] {{1, 0}, {0, 3}})));
        assertThat(d).containsExactly(new double[] {1, 1}, within(1e-12));
    }

    @Test
    void alignedGradientsAreOrthogonalWithEqualNorms() {
        SplittableRandom random = new SplittableRandom(6);
        for (int trial = 0; trial < 20; trial++) {
            double[][] g = Steps.randomGradients(random, 4, 9);
            g[1][0] += 5; // make the spectrum uneven
            double[][] m = Vectors.gram(g);
            double[][] b = AlignedMtl.aligning(m);
            double[][] aligned = new double[4][];
            for (int i = 0; i < 4; i++) {
                aligned[i] = Vectors.combine(b[i], g, 9);
            }
            double first = Vectors.dot(aligned[0], aligned[0]);
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    double expected = i == j ? first : 0;
                    assertThat(Vectors.dot(aligned[i], aligned[j])).isCloseTo(expected, within(1e-9 * first));
                }
            }
        }
    }

    @Test
    void rankDeficientGradientsKeepTheirSpan() {
        // two identical gradients: rank 1, the update is along them, not zero or infinite
        double[] d = Steps.gradient(new AlignedMtl().combine(Steps.gradients(new double[][] {{2, 0}, {2, 0}})));
        assertThat(d[1]).isZero();
        assertThat(d[0]).isPositive().isFinite();
    }

    @Test
    void absentTaskIsLeftOut() {
        Step step = new Step(new double[] {1, 0}, new boolean[] {true, false},
                new double[][] {{0, 2}, {7, 7}}, 0, 0);
        assertThat(Steps.gradient(new AlignedMtl().combine(step))).containsExactly(new double[] {0, 2},
                within(1e-12));
    }
}
