package dev.chorus.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.mtl.Direction;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeltaMTest {

    @Test
    void higherIsBetterMetricsGainWhenTheyRise() {
        assertThat(DeltaM.relative(0.88, 0.80, Direction.MAXIMIZE)).isCloseTo(10.0, within(1e-9));
        assertThat(DeltaM.relative(0.72, 0.80, Direction.MAXIMIZE)).isCloseTo(-10.0, within(1e-9));
    }

    @Test
    void lowerIsBetterMetricsGainWhenTheyFall() {
        assertThat(DeltaM.relative(0.9, 1.0, Direction.MINIMIZE)).isCloseTo(10.0, within(1e-9));
        assertThat(DeltaM.relative(1.2, 1.0, Direction.MINIMIZE)).isCloseTo(-20.0, within(1e-9));
    }

    @Test
    void negativeBaselinesAreScaledByTheirMagnitude() {
        // R² can be negative: moving from -0.5 to -0.25 is an improvement
        assertThat(DeltaM.relative(-0.25, -0.5, Direction.MAXIMIZE)).isCloseTo(50.0, within(1e-9));
    }

    /** Issue 16: 1e308 against -1e308 stored Δm NaN and deltas of ±Infinity. */
    @Test
    void aDeltaOfNonFiniteValuesCannotBeComputed() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> DeltaM.relative(bad, 0.5, Direction.MAXIMIZE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
            assertThatThrownBy(() -> DeltaM.relative(0.5, bad, Direction.MINIMIZE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
            assertThatThrownBy(() -> Score.of(bad, 0.5, Direction.MAXIMIZE)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aZeroBaselineFallsBackToTheAbsoluteDifference() {
        assertThat(DeltaM.relative(0.1, 0.0, Direction.MAXIMIZE)).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void deltaMIsTheMeanOfTheTaskDeltas() {
        // LibMTL's example shape: one task +10 %, one -4 %, one +0 % -> +2 %
        List<TaskResult> results = List.of(result("a", 0.88, 0.8, 10.0, 5.0), result("b", 1.04, 1.0, -4.0, -1.0),
                result("c", 0.5, 0.5, 0.0, 1.0));
        assertThat(DeltaM.of(results)).as("validation").isCloseTo(2.0, within(1e-9));
        assertThat(DeltaM.ofTest(results)).as("test").isCloseTo(5.0 / 3, within(1e-9));
        assertThatThrownBy(() -> DeltaM.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static TaskResult result(String task, double value, double baseline, double delta, double testDelta) {
        return new TaskResult(task, new Score(value, baseline, delta), new Score(value, baseline, testDelta));
    }
}
