package dev.chorus.mtl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.mtl.Metric;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every metric against values computed by hand (and matching scikit-learn). */
class MetricsTest {

    private static final float NAN = Float.NaN;

    @Test
    void accuracyThresholdsProbabilitiesAndSkipsUnlabelledRows() {
        float[] labels = {1, 0, 1, NAN, 0};
        float[] probabilities = {0.9f, 0.2f, 0.4f, 0.9f, 0.6f};
        // labelled rows 0, 1, 2, 4 predict 1, 0, 0, 1: two of four right
        assertThat(Metrics.compute(Metric.ACCURACY, labels, probabilities, 1)).isEqualTo(0.5);
    }

    @Test
    void accuracyOfMulticlassTakesTheArgMax() {
        float[] labels = {0, 1, 2};
        float[] scores = {0.7f, 0.2f, 0.1f, 0.1f, 0.3f, 0.6f, 0.1f, 0.1f, 0.8f};
        assertThat(Metrics.compute(Metric.ACCURACY, labels, scores, 3)).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void aucWithoutTies() {
        // the scikit-learn roc_auc_score doc example
        float[] labels = {0, 0, 1, 1};
        float[] scores = {0.1f, 0.4f, 0.35f, 0.8f};
        assertThat(Metrics.compute(Metric.AUC, labels, scores, 1)).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void aucCountsTiesAsOneHalf() {
        // positives {0.5, 0.9} vs negatives {0.5, 0.2}: pairs 0.5 + 1 + 1 + 1 = 3.5 of 4; row 4 is unlabelled
        float[] labels = {0, 1, 0, 1, NAN};
        float[] scores = {0.5f, 0.5f, 0.2f, 0.9f, 0.0f};
        assertThat(Metrics.auc(labels, scores)).isCloseTo(0.875, within(1e-12));
    }

    @Test
    void aucOfOneClassIsUndefined() {
        assertThat(Metrics.auc(new float[] {1, 1, NAN}, new float[] {0.2f, 0.3f, 0.4f})).isNaN();
    }

    @Test
    void logLossOfProbabilitiesAndOfClassScores() {
        // the scikit-learn log_loss doc example: 0.21616...; row 2 is unlabelled
        float[] labels = {1, 0, NAN, 0, 1};
        float[] probabilities = {0.9f, 0.1f, 0.5f, 0.2f, 0.65f};
        double expected = -(Math.log(0.9f) + Math.log(1.0 - 0.1f) + Math.log(1.0 - 0.2f) + Math.log(0.65f)) / 4;
        assertThat(Metrics.compute(Metric.LOG_LOSS, labels, probabilities, 1)).isCloseTo(expected, within(1e-9));
        assertThat(expected).isCloseTo(0.21616, within(1e-5));
        float[] perClass = {0.1f, 0.9f, 0.9f, 0.1f, 0.5f, 0.5f, 0.8f, 0.2f, 0.35f, 0.65f};
        assertThat(Metrics.compute(Metric.LOG_LOSS, labels, perClass, 2)).isCloseTo(expected, within(1e-6));
    }

    @Test
    void logLossClipsCertainMistakesAndPropagatesNaN() {
        assertThat(Metrics.logLoss(new float[] {1, 0}, new float[] {0, 1}, 1)).isCloseTo(-Math.log(1e-15), within(1e-9));
        assertThat(Metrics.logLoss(new float[] {1, 0}, new float[] {1, 0}, 1)).isCloseTo(0, within(1e-14));
        assertThat(Metrics.logLoss(new float[] {1, 0}, new float[] {NAN, 0.2f}, 1)).isNaN();
        assertThat(Metrics.logLoss(new float[] {NAN}, new float[] {0.5f}, 1)).isNaN();
        assertThatThrownBy(() -> Metrics.logLoss(new float[] {3}, new float[] {0.5f, 0.5f}, 2))
                .hasMessageContaining("not one of the 2 classes");
    }

    @Test
    void f1OfClassOne() {
        float[] labels = {1, 1, 0, 0, 1};
        float[] probabilities = {0.8f, 0.1f, 0.7f, 0.3f, 0.5f};
        // predicted 1, 0, 1, 0, 1: tp 2, fp 1, fn 1 -> 4 / 6
        assertThat(Metrics.compute(Metric.F1, labels, probabilities, 1)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(Metrics.f1(new float[] {0, 0}, new float[] {0, 0})).isZero();
    }

    @Test
    void macroF1AveragesOverPresentClasses() {
        float[] labels = {0, 1, 2, 2, NAN};
        float[] predicted = {0, 2, 2, 1, 0};
        // class 0: 1; class 1: tp 0 -> 0; class 2: tp 1, fp 1, fn 1 -> 0.5; mean 0.5
        assertThat(Metrics.macroF1(labels, predicted)).isCloseTo(0.5, within(1e-12));
        float[] scores = {1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0};
        assertThat(Metrics.compute(Metric.MACRO_F1, labels, scores, 3)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void regressionErrors() {
        float[] labels = {1, 2, 3, NAN};
        float[] predictions = {1, 3, 5, 100};
        // errors 0, 1, 2
        assertThat(Metrics.compute(Metric.RMSE, labels, predictions, 1)).isCloseTo(Math.sqrt(5.0 / 3), within(1e-9));
        assertThat(Metrics.compute(Metric.MAE, labels, predictions, 1)).isCloseTo(1.0, within(1e-12));
        // mean 2, total 2, residual 5
        assertThat(Metrics.compute(Metric.R2, labels, predictions, 1)).isCloseTo(-1.5, within(1e-12));
        assertThat(Metrics.r2(labels, new float[] {1, 2, 3, 0})).isEqualTo(1.0);
    }

    @Test
    void r2OfConstantLabels() {
        assertThat(Metrics.r2(new float[] {2, 2}, new float[] {2, 2})).isEqualTo(1.0);
        assertThat(Metrics.r2(new float[] {2, 2}, new float[] {1, 2})).isEqualTo(0.0);
    }

    @Test
    void noLabelledRowGivesNaN() {
        float[] labels = {NAN, NAN};
        for (Metric m : new Metric[] {Metric.ACCURACY, Metric.AUC, Metric.F1, Metric.RMSE, Metric.MAE, Metric.R2}) {
            assertThat(Metrics.compute(m, labels, new float[] {0.3f, 0.7f}, 1)).as(m.id()).isNaN();
        }
        assertThat(Metrics.compute(Metric.MACRO_F1, labels, new float[] {1, 0, 0, 1}, 2)).isNaN();
    }

    /** The AUC's tie loop once never advanced past a NaN score; the timeout guards against that hang. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aucOfANaNScoreIsNaNAndFinishes() {
        assertThat(Metrics.auc(new float[] {0, 1, 0, 1}, new float[] {0.2f, NAN, 0.4f, 0.9f})).isNaN();
        assertThat(Metrics.auc(new float[] {0, 1, NAN}, new float[] {NAN, NAN, NAN})).isNaN();
    }

    @Test
    void aNaNOutputOfALabelledRowMakesEveryMetricNaN() {
        float[] labels = {0, 1, 0, 1, NAN};
        float[] probabilities = {0.2f, NAN, 0.4f, 0.9f, 0.7f};
        for (Metric m : new Metric[] {Metric.ACCURACY, Metric.AUC, Metric.F1, Metric.RMSE, Metric.MAE, Metric.R2}) {
            assertThat(Metrics.compute(m, labels, probabilities, 1)).as(m.id()).isNaN();
        }
        float[] scores = {0.7f, 0.2f, 0.1f, 0.1f, NAN, 0.3f, 0.1f, 0.1f, 0.8f};
        assertThat(Metrics.compute(Metric.ACCURACY, new float[] {0, 1, 2}, scores, 3)).isNaN();
        assertThat(Metrics.compute(Metric.MACRO_F1, new float[] {0, 1, 2}, scores, 3)).isNaN();
        assertThat(Metrics.r2(new float[] {2, 2}, new float[] {2, NAN})).as("constant labels").isNaN();
    }

    @Test
    void aNaNProbabilityIsNoClass() {
        assertThat(Metrics.predictedClasses(new float[] {NAN, 0.2f, 0.7f}, 1)).containsExactly(NAN, 0f, 1f);
        assertThat(Metrics.predictedClasses(new float[] {0.1f, NAN, 0.5f, 0.6f, 0.3f, 0.1f}, 3)).containsExactly(NAN, 0f);
        // nor is it counted as class 0 by accuracy: the row's label is 0
        assertThat(Metrics.accuracy(new float[] {0, 1}, new float[] {NAN, 1})).isNaN();
    }

    @Test
    void unlabelledRowsMayHoldNaNOutputs() {
        float[] labels = {0, 1, NAN};
        assertThat(Metrics.compute(Metric.AUC, labels, new float[] {0.2f, 0.8f, NAN}, 1)).isEqualTo(1.0);
        assertThat(Metrics.compute(Metric.ACCURACY, labels, new float[] {0.2f, 0.8f, NAN}, 1)).isEqualTo(1.0);
        assertThat(Metrics.compute(Metric.RMSE, labels, new float[] {0, 1, NAN}, 1)).isZero();
    }

    @Test
    void infiniteScoresRankAtTheEnds() {
        assertThat(Metrics.auc(new float[] {0, 1, 0, 1}, new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, 0.5f})).isEqualTo(1.0);
    }

    @Test
    void rejectsOutputsThatDoNotFitTheRows() {
        assertThatThrownBy(() -> Metrics.compute(Metric.RMSE, new float[] {1, 2}, new float[] {1}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not match");
        assertThatThrownBy(() -> Metrics.compute(Metric.AUC, new float[] {1}, new float[] {0.1f, 0.9f}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auc");
    }
}
