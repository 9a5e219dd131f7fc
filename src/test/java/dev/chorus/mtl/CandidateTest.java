package dev.chorus.mtl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateTest {

    private static final TrainSettings S = new TrainSettings(16, 1, 0.01, 5, 32);

    private static Candidate of(Integer... groups) {
        return new Candidate(List.of(groups), java.util.Collections.nCopies(groups.length, 1.0), Weighting.EQUAL, S);
    }

    @Test
    void twoLabelingsOfOnePartitionAreEqual() {
        assertThat(of(2, 2, 0, 1)).isEqualTo(of(0, 0, 1, 2));
        assertThat(of(2, 2, 0, 1).groups()).containsExactly(0, 0, 1, 2);
        assertThat(of(0, 1, 0)).isNotEqualTo(of(0, 0, 1));
    }

    @Test
    void membersListTheTasksOfEachModel() {
        Candidate c = of(5, 3, 5, 9);
        assertThat(c.groupCount()).isEqualTo(3);
        assertThat(c.members()).containsExactly(List.of(0, 2), List.of(1), List.of(3));
    }

    @Test
    void refusesMismatchedLengths() {
        assertThatThrownBy(() -> new Candidate(List.of(0, 1), List.of(1.0), Weighting.EQUAL, S))
                .hasMessageContaining("one entry per task");
    }
}
