package dev.chorus.mtl.train.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.mtl.train.weighting.LossWeighting.Step;
import org.junit.jupiter.api.Test;

class DynamicWeightAverageTest {

    private final DynamicWeightAverage dwa = new DynamicWeightAverage(DynamicWeightAverage.TEMPERATURE);

    @Test
    void equalForTheFirstTwoEpochsThenTheSlowerTaskWeighsMore() {
        assertThat(Steps.weights(dwa.combine(Steps.losses(3, 1)))).containsExactly(1, 1);
        dwa.endEpoch(new double[] {1.0, 1.0});
        assertThat(Steps.weights(dwa.combine(Steps.losses(3, 1)))).containsExactly(1, 1);
        dwa.endEpoch(new double[] {0.5, 0.9}); // task 0 halved, task 1 fell 10%
        double[] w = Steps.weights(dwa.combine(Steps.losses(3, 1)));
        double e0 = Math.exp(0.5 / 2);
        double e1 = Math.exp(0.9 / 2);
        assertThat(w).containsExactly(new double[] {2 * e0 / (e0 + e1), 2 * e1 / (e0 + e1)}, within(1e-12));
        assertThat(w[1]).isGreaterThan(w[0]);
        assertThat(Steps.sum(w)).isCloseTo(2, within(1e-12));
    }

    @Test
    void usesOnlyTheLastTwoEpochs() {
        dwa.endEpoch(new double[] {9, 1});
        dwa.endEpoch(new double[] {1, 1});
        dwa.endEpoch(new double[] {1, 2});
        double[] w = Steps.weights(dwa.combine(Steps.losses(1, 1)));
        assertThat(w[1]).isGreaterThan(w[0]); // ratios 1 and 2, not 1/9 and 1
    }

    @Test
    void absentInTheBatchWeighsZeroAndATaskWithoutARateWeighsOne() {
        dwa.endEpoch(new double[] {1, 1, Double.NaN});
        dwa.endEpoch(new double[] {0.5, 1, 0.7});
        double[] w = Steps.weights(dwa.combine(Steps.losses(1, 1, 1)));
        assertThat(w[2]).isEqualTo(1);
        assertThat(w[0] + w[1]).isCloseTo(2, within(1e-12));
        Step absent = new Step(new double[] {1, 0, 1}, new boolean[] {true, false, true}, null, 0, 0);
        double[] wa = Steps.weights(dwa.combine(absent));
        assertThat(wa).containsExactly(w[0], 0, w[2]);
    }
}
