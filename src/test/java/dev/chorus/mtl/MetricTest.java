package dev.chorus.mtl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 16, "Worker results": every metric has its range, and nothing outside it or non-finite is admitted. */
class MetricTest {

    private static final double[] NOT_FINITE = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    @Test
    void scoresBetweenZeroAndOneAdmitOnlyThatRange() {
        for (Metric m : new Metric[] {Metric.AUC, Metric.ACCURACY, Metric.F1, Metric.MACRO_F1}) {
            assertThat(m.admits(0)).as(m.id()).isTrue();
            assertThat(m.admits(0.5)).as(m.id()).isTrue();
            assertThat(m.admits(1)).as(m.id()).isTrue();
            assertThat(m.admits(1e308)).as(m.id()).isFalse();
            assertThat(m.admits(1.000001)).as(m.id()).isFalse();
            assertThat(m.admits(-1e-9)).as(m.id()).isFalse();
            assertThat(m.range()).isEqualTo("a finite number in [0, 1]");
        }
    }

    @Test
    void errorsAreNotNegativeAndRSquaredIsAtMostOne() {
        for (Metric m : new Metric[] {Metric.RMSE, Metric.MAE, Metric.LOG_LOSS}) {
            assertThat(m.admits(0)).isTrue();
            assertThat(m.admits(1e308)).isTrue();
            assertThat(m.admits(-0.001)).isFalse();
            assertThat(m.range()).isEqualTo("a finite number >= 0");
        }
        assertThat(Metric.R2.admits(1)).isTrue();
        assertThat(Metric.R2.admits(-1e308)).as("worse than the mean has no floor").isTrue();
        assertThat(Metric.R2.admits(1.01)).isFalse();
        assertThat(Metric.R2.range()).isEqualTo("a finite number <= 1");
    }

    @Test
    void noMetricAdmitsNaNOrAnInfinity() {
        for (Metric m : Metric.values()) {
            for (double v : NOT_FINITE) {
                assertThat(m.admits(v)).as(m.id() + " " + v).isFalse();
            }
        }
    }
}
