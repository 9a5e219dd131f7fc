package dev.chorus.mtl.train.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.mtl.train.weighting.LossWeighting.Step;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomLossWeightsTest {

    @Test
    void positiveSumToOneAndChangeEveryStep() {
        RandomLossWeights rlw = new RandomLossWeights(42);
        Set<Double> firstWeights = new HashSet<>();
        double meanFirst = 0;
        int steps = 4000;
        for (int i = 0; i < steps; i++) {
            double[] w = Steps.weights(rlw.combine(Steps.losses(1, 1, 1)));
            assertThat(Arrays.stream(w)).allMatch(x -> x > 0 && x < 1);
            assertThat(Steps.sum(w)).isCloseTo(1, within(1e-12));
            firstWeights.add(w[0]);
            meanFirst += w[0] / steps;
        }
        assertThat(firstWeights).hasSize(steps);
        assertThat(meanFirst).as("symmetric in expectation").isCloseTo(1.0 / 3, within(0.02));
    }

    @Test
    void deterministicPerSeed() {
        RandomLossWeights a = new RandomLossWeights(7);
        RandomLossWeights b = new RandomLossWeights(7);
        RandomLossWeights c = new RandomLossWeights(8);
        double[] wa = Steps.weights(a.combine(Steps.losses(1, 2)));
        assertThat(Steps.weights(b.combine(Steps.losses(5, 6)))).containsExactly(wa);
        assertThat(Steps.weights(c.combine(Steps.losses(1, 2)))).isNotEqualTo(wa);
    }

    @Test
    void absentTaskWeighsZeroAndTheOthersStillSumToOne() {
        RandomLossWeights rlw = new RandomLossWeights(3);
        Step step = new Step(new double[] {1, 0, 1}, new boolean[] {true, false, true}, null, 0, 0);
        double[] w = Steps.weights(rlw.combine(step));
        assertThat(w[1]).isZero();
        assertThat(Steps.sum(w)).isCloseTo(1, within(1e-12));
    }
}
