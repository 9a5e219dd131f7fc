package dev.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrunerTest {

    /** A curve whose every step has the given per-task values. */
    private static List<double[]> flat(int steps, double... values) {
        List<double[]> curve = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            curve.add(values.clone());
        }
        return curve;
    }

    @Test
    void medianPrunesBelowTheMedianOfTheOthersAtTheSameStep() {
        Pruner p = Pruner.median(3, 2);
        List<List<double[]>> others = List.of(flat(5, 0.6, 0.6), flat(5, 0.7, 0.7), flat(5, 0.8, 0.8));
        assertThat(p.prune(3, flat(5, 0.6, 0.7), others)).as("mean 0.65 < median 0.7").isTrue();
        assertThat(p.prune(3, flat(5, 0.7, 0.75), others)).isFalse();
        assertThat(p.prune(1, flat(5, 0.1, 0.1), others)).as("warm-up").isFalse();
        assertThat(p.prune(3, flat(5, 0.1, 0.1), others.subList(0, 2))).as("startup trials").isFalse();
        assertThat(p.prune(3, flat(5, 0.1, 0.1), List.of(flat(2, 0.9, 0.9), flat(2, 0.9, 0.9), flat(2, 0.9, 0.9))))
                .as("others that never reached the step do not count").isFalse();
    }

    @Test
    void medianIgnoresTasksWithoutValidationValues() {
        Pruner p = Pruner.median(1, 0);
        assertThat(p.prune(0, flat(1, 0.9, Double.NaN), List.of(flat(1, 0.8, 0.8)))).isFalse();
    }

    @Test
    void successiveHalvingKeepsTheTopThirdAtEachRung() {
        SuccessiveHalvingPruner p = new SuccessiveHalvingPruner(1, 3);
        assertThat(List.of(0, 2, 8, 26)).allMatch(p::isRung);
        assertThat(List.of(1, 3, 4, 9)).noneMatch(p::isRung);
        List<List<double[]>> others = new ArrayList<>();
        for (double v : new double[] {0.1, 0.2, 0.3, 0.4, 0.5}) {
            others.add(flat(3, v));
        }
        // 6 trials at the rung after 3 epochs (step 2): the top 2 continue
        assertThat(p.prune(2, flat(3, 0.35), others)).as("fourth of six").isTrue();
        assertThat(p.prune(2, flat(3, 0.45), others)).as("second of six").isFalse();
        assertThat(p.prune(2, flat(3, 0.55), others)).as("best of six").isFalse();
        assertThat(p.prune(2, flat(3, 0.45), others.subList(3, 5))).as("second of three, keep 1").isTrue();
        assertThat(p.prune(1, flat(3, 0.0), others)).as("not a rung").isFalse();
        assertThat(p.prune(0, flat(1, 0.0), List.of())).as("alone at a rung").isFalse();
    }

    @Test
    void dominationPrunesOnlyWhenEnoughTrialsBeatItOnEveryTask() {
        Pruner p = Pruner.paretoDominated(2, 1);
        List<List<double[]>> others = List.of(flat(3, 0.9, 0.9), flat(3, 0.8, 0.95), flat(3, 0.99, 0.1));
        assertThat(p.prune(2, flat(3, 0.7, 0.7), others)).as("dominated by two").isTrue();
        assertThat(p.prune(2, flat(3, 0.85, 0.7), others)).as("dominated by one only").isFalse();
        assertThat(p.prune(2, flat(3, 1.0, 0.0), others)).as("best on one task: a front candidate").isFalse();
        assertThat(p.prune(0, flat(3, 0.0, 0.0), others)).as("warm-up").isFalse();
        assertThat(p.prune(2, flat(3, 0.95, Double.NaN), List.of(flat(3, 0.99, 0.5), flat(3, 0.97, 0.2))))
                .as("a missing value counts as the worst").isTrue();
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> Pruner.median(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pruner.successiveHalving(1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pruner.paretoDominated(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Pruner.none().prune(5, flat(6, 0), List.of())).isFalse();
    }
}
