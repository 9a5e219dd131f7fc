package dev.chorus.mtl.train.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.mtl.train.weighting.LossWeighting.Step;
import org.junit.jupiter.api.Test;

class GradNormWeightsTest {

    @Test
    void taskWithHundredTimesTheGradientNormLosesWeightAndTheSumStaysTheTaskCount() {
        GradNormWeights gn = new GradNormWeights(GradNormWeights.ALPHA, 0.01);
        double[] first = Steps.weights(gn.combine(Steps.gradients(new double[] {1, 1},
                new double[] {1, 0}, new double[] {0, 100})));
        assertThat(first).as("the weights of a step are those before its update").containsExactly(1, 1);
        for (int i = 0; i < 100; i++) {
            gn.combine(Steps.gradients(new double[] {1, 1}, new double[] {1, 0}, new double[] {0, 100}));
        }
        double[] w = gn.weights();
        assertThat(w[1]).isLessThan(1).isLessThan(w[0]);
        assertThat(Steps.sum(w)).isCloseTo(2, within(1e-9));
    }

    @Test
    void taskThatTrainsSlowerGainsWeight() {
        GradNormWeights gn = new GradNormWeights(GradNormWeights.ALPHA, 0.01);
        for (int i = 0; i < 100; i++) {
            double fast = Math.pow(0.98, i); // task 1's loss falls, task 0's does not
            gn.combine(Steps.gradients(new double[] {1, fast}, new double[] {1, 0}, new double[] {0, 1}));
        }
        double[] w = gn.weights();
        assertThat(w[0]).isGreaterThan(1).isGreaterThan(w[1]);
        assertThat(Steps.sum(w)).isCloseTo(2, within(1e-9));
    }

    @Test
    void balancedTasksKeepEqualWeights() {
        GradNormWeights gn = new GradNormWeights(GradNormWeights.ALPHA, 0.01);
        for (int i = 0; i < 20; i++) {
            gn.combine(Steps.gradients(new double[] {2, 2}, new double[] {3, 0}, new double[] {0, 3}));
        }
        assertThat(gn.weights()).containsExactly(new double[] {1, 1}, within(1e-12));
    }

    @Test
    void absentTaskKeepsItsWeightAndTheTotalStaysTheTaskCount() {
        GradNormWeights gn = new GradNormWeights(GradNormWeights.ALPHA, 0.01);
        Step step = new Step(new double[] {1, 0, 1}, new boolean[] {true, false, true},
                new double[][] {{1, 0}, {0, 0}, {0, 100}}, 0, 0);
        for (int i = 0; i < 50; i++) {
            assertThat(Steps.weights(gn.combine(step))[1]).isZero();
        }
        double[] w = gn.weights();
        assertThat(w[1]).isEqualTo(1);
        assertThat(w[2]).isLessThan(w[0]);
        assertThat(Steps.sum(w)).isCloseTo(3, within(1e-9));
    }
}
