package dev.chorus.mtl.train.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.mtl.train.weighting.LossWeighting.Step;
import org.junit.jupiter.api.Test;

class FamoTest {

    private final Famo famo = new Famo(Famo.LOGIT_LEARNING_RATE, Famo.GAMMA);

    @Test
    void firstStepWeighsByInverseLossAndSumsToOne() {
        assertThat(famo.needsLossesAfterStep()).isTrue();
        double[] w = Steps.weights(famo.combine(Steps.losses(1, 4)));
        assertThat(w).containsExactly(new double[] {0.8, 0.2}, within(1e-6));
        assertThat(Steps.sum(w)).isCloseTo(1, within(1e-12));
    }

    @Test
    void taskWhoseLossFallsSlowerGainsWeight() {
        double[] losses = {1, 1};
        for (int i = 0; i < 200; i++) {
            famo.combine(Steps.losses(losses));
            double[] after = {losses[0] * 0.99, losses[1] * 0.999};
            famo.afterStep(after);
            losses = after;
        }
        double[] z = famo.taskWeights();
        assertThat(z[1]).isGreaterThan(0.6).isGreaterThan(z[0]);
        double[] w = Steps.weights(famo.combine(Steps.losses(1, 1)));
        assertThat(w[1]).isGreaterThan(w[0]);
    }

    @Test
    void equalProgressKeepsEqualWeights() {
        for (int i = 0; i < 50; i++) {
            famo.combine(Steps.losses(2, 1));
            famo.afterStep(new double[] {1.8, 0.9});
        }
        // the 1e-8 shift of the code makes the two log-decreases differ by ~1e-9, which Adam's
        // normalisation would turn into full steps were it not for the weight decay anchoring the logits
        assertThat(famo.taskWeights()).containsExactly(new double[] {0.5, 0.5}, within(1e-3));
    }

    @Test
    void absentTaskKeepsItsLogitAndWeighsZero() {
        Step step = new Step(new double[] {1, 0, 1}, new boolean[] {true, false, true}, null, 0, 0);
        for (int i = 0; i < 100; i++) {
            double[] w = Steps.weights(famo.combine(step));
            assertThat(w[1]).isZero();
            assertThat(Steps.sum(w)).isCloseTo(1, within(1e-9));
            famo.afterStep(new double[] {0.99, 123, 0.999});
        }
        double[] logits = famo.logits();
        assertThat(logits[1]).isZero();
        assertThat(logits[2]).isGreaterThan(logits[0]);
    }

    @Test
    void afterStepWithoutCombineDoesNothing() {
        famo.afterStep(new double[] {1, 2});
        famo.combine(Steps.losses(1, 1));
        famo.afterStep(new double[] {0.5, 1});
        famo.afterStep(new double[] {0.1, 1}); // a second call for the same step is ignored
        double[] logits = famo.logits();
        assertThat(logits[1]).isGreaterThan(logits[0]);
        assertThat(logits[1] - logits[0]).isCloseTo(2 * Famo.LOGIT_LEARNING_RATE, within(1e-6));
    }
}
