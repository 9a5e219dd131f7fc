package dev.chorus.mtl.train.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.mtl.train.weighting.LossWeighting.Step;
import org.junit.jupiter.api.Test;

class UncertaintyWeightsTest {

    @Test
    void firstWeightIsLibMtlsInitialisation() {
        double[] w = Steps.weights(new UncertaintyWeights(0.01).combine(Steps.losses(1, 2)));
        assertThat(w).containsExactly(new double[] {Math.exp(0.5) / 2, Math.exp(0.5) / 2}, within(1e-12));
    }

    @Test
    void logVarianceConvergesToLogLossAndTheLargerLossWeighsLess() {
        UncertaintyWeights uw = new UncertaintyWeights(0.05);
        double[] w = null;
        for (int i = 0; i < 3000; i++) {
            w = Steps.weights(uw.combine(Steps.losses(1, 10)));
        }
        assertThat(uw.logVariances()[0]).isCloseTo(Math.log(1), within(0.02));
        assertThat(uw.logVariances()[1]).isCloseTo(Math.log(10), within(0.02));
        assertThat(w[1]).isLessThan(w[0]);
        assertThat(w[0]).isCloseTo(1 / (2.0 * 1), within(0.02));
        assertThat(w[1]).isCloseTo(1 / (2.0 * 10), within(0.002));
    }

    @Test
    void absentTaskKeepsItsLogVariance() {
        UncertaintyWeights uw = new UncertaintyWeights(0.05);
        Step step = new Step(new double[] {5, 0}, new boolean[] {true, false}, null, 0, 0);
        for (int i = 0; i < 50; i++) {
            assertThat(Steps.weights(uw.combine(step))[1]).isZero();
        }
        assertThat(uw.logVariances()[1]).isEqualTo(UncertaintyWeights.INITIAL_LOG_VARIANCE);
        assertThat(uw.logVariances()[0]).isGreaterThan(UncertaintyWeights.INITIAL_LOG_VARIANCE);
    }
}
