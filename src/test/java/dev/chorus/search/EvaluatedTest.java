package dev.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.mtl.Candidate;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatedTest {

    private final Candidate c = Fixtures.candidate(List.of(0, 0), 1.0);

    @Test
    void objectivesAreCopiedInAndOut() {
        double[] values = {1, 2};
        Evaluated e = new Evaluated(c, 0, values, true);
        values[0] = 99;
        e.objectives()[1] = 99;
        assertThat(e.objectives()).containsExactly(1, 2);
    }

    @Test
    void equalityUsesTheObjectiveValues() {
        assertThat(Evaluated.of(c, 1, 1, 2)).isEqualTo(Evaluated.of(c, 1, 1, 2))
                .hasSameHashCodeAs(Evaluated.of(c, 1, 1, 2))
                .isNotEqualTo(Evaluated.of(c, 1, 1, 3))
                .isNotEqualTo(new Evaluated(c, 1, new double[] {1, 2}, false));
        assertThat(Evaluated.of(c, 1, 1, 2).toString()).contains("[1.0, 2.0]");
    }

    @Test
    void feasibleTrialsNeedFiniteObjectives() {
        assertThatThrownBy(() -> Evaluated.of(c, 0, 1, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("infeasible");
        assertThatThrownBy(() -> Evaluated.of(c, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Evaluated.of(c, -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Evaluated(c, 0, new double[] {Double.NaN}, false).feasible()).isFalse();
    }
}
