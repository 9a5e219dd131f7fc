package dev.chorus.mtl.train.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.mtl.train.weighting.LossWeighting.Step;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImtlTest {

    @Test
    void updateProjectsEquallyOnEveryTasksDirection() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 30; trial++) {
            int tasks = 2 + trial % 4;
            double[][] g = Steps.randomGradients(random, tasks, 10);
            double[] alpha = Imtl.alphas(g);
            assertThat(Steps.sum(alpha)).isCloseTo(1, within(1e-9));
            double[] d = Vectors.combine(alpha, g, 10);
            double first = Vectors.dot(d, g[0]) / Vectors.norm(g[0]);
            for (double[] row : g) {
                assertThat(Vectors.dot(d, row) / Vectors.norm(row)).isCloseTo(first, within(1e-9));
            }
        }
    }

    @Test
    void twoOrthogonalGradientsGetTheWeightsThatEqualiseTheirProjections() {
        // d = a (1,0) + (1-a) (0,4) projects a on u1 and 4(1-a) on u2: a = 4/5
        double[] d = Steps.gradient(new Imtl(0.01).combine(Steps.gradients(new double[][] {{1, 0}, {0, 4}})));
        assertThat(d).containsExactly(new double[] {0.8, 0.8}, within(1e-12));
    }

    @Test
    void logScalesMakeEveryScaledLossOne() {
        Imtl imtl = new Imtl(0.05);
        for (int i = 0; i < 3000; i++) {
            imtl.combine(Steps.gradients(new double[] {0.5, 4}, new double[] {1, 0}, new double[] {0, 1}));
        }
        assertThat(imtl.logScales()).containsExactly(new double[] {-Math.log(0.5), -Math.log(4)}, within(0.02));
    }

    @Test
    void absentTaskIsLeftOutAndKeepsItsScale() {
        Imtl imtl = new Imtl(0.05);
        Step step = new Step(new double[] {2, 0, 3}, new boolean[] {true, false, true},
                new double[][] {{1, 0}, {5, 5}, {0, 4}}, 0, 0);
        double[] d = null;
        for (int i = 0; i < 20; i++) {
            d = Steps.gradient(imtl.combine(step));
        }
        assertThat(imtl.logScales()[1]).isZero();
        assertThat(d[0]).isCloseTo(d[1], within(1e-9)); // equal projections on (1,0) and (0,1)
    }
}
