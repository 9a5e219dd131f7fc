package dev.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.mtl.Candidate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParetoTest {

    private static double[] p(double... v) {
        return v;
    }

    @Test
    void dominanceIsForMaximisation() {
        assertThat(Pareto.dominates(p(2, 2), p(1, 1))).isTrue();
        assertThat(Pareto.dominates(p(1, 1), p(2, 2))).isFalse();
        assertThat(Pareto.dominates(p(-1, -1), p(-2, -1))).isTrue();
    }

    @Test
    void aTieInSomeObjectivesStillDominatesWhenStrictlyBetterInOne() {
        assertThat(Pareto.dominates(p(3, 3, 1), p(3, 3, 0))).isTrue();
        assertThat(Pareto.dominates(p(3, 3, 0), p(3, 3, 1))).isFalse();
    }

    @Test
    void equalOrIncomparableVectorsDoNotDominate() {
        assertThat(Pareto.dominates(p(1, 2), p(1, 2))).isFalse();
        assertThat(Pareto.dominates(p(1, 2), p(2, 1))).isFalse();
        assertThat(Pareto.dominates(p(2, 1), p(1, 2))).isFalse();
    }

    @Test
    void rejectsMismatchedLengthsAndNaN() {
        assertThatThrownBy(() -> Pareto.dominates(p(1, 2), p(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pareto.dominates(p(1, Double.NaN), p(1, 2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pareto.nonDominated(List.of(p(1, 2), p(1, 2, 3))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pareto.nonDominated(List.of(p(Double.NaN))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void firstFrontOfAHandMadeSetKeepsDuplicatesAndDropsTiedButDominatedPoints() {
        List<double[]> points = List.of(
                p(1, 5),  // 0 front
                p(2, 4),  // 1 front
                p(3, 3),  // 2 front
                p(2, 2),  // 3 dominated by (3,3) and (2,4)
                p(0, 6),  // 4 front
                p(3, 3),  // 5 duplicate of 2: front too
                p(3, 2),  // 6 ties (3,3) in the first objective, dominated
                p(1, 1)); // 7 dominated
        assertThat(Pareto.nonDominated(points)).containsExactly(0, 1, 2, 4, 5);
    }

    @Test
    void frontOfEdgeCases() {
        assertThat(Pareto.nonDominated(List.of())).isEmpty();
        assertThat(Pareto.nonDominated(List.<double[]>of(p(7)))).containsExactly(0);
        assertThat(Pareto.nonDominated(List.of(p(1), p(3), p(2), p(3)))).containsExactly(1, 3);
        assertThat(Pareto.nonDominated(List.of(p(1, 1, 1), p(1, 1, 1)))).containsExactly(0, 1);
    }

    @Test
    void trialFrontLeavesOutInfeasibleTrialsWhateverTheirObjectives() {
        Candidate c = Fixtures.candidate(List.of(0, 1), 1.0);
        List<Evaluated> trials = List.of(
                Evaluated.of(c, 0, 1, 1),
                new Evaluated(c, 0, p(9, 9), false), // would dominate everything if it counted
                Evaluated.of(c, 1, 2, 0),
                Evaluated.of(c, 1, 0, 0),
                Evaluated.infeasible(c, 2));
        assertThat(Pareto.nonDominatedTrials(trials)).containsExactly(0, 2);
        assertThat(Pareto.nonDominatedTrials(List.of(Evaluated.infeasible(c, 0)))).isEmpty();
    }

    @Test
    void constraintDominationPutsFeasibleFirst() {
        Candidate c = Fixtures.candidate(List.of(0, 1), 1.0);
        Evaluated good = Evaluated.of(c, 0, 0, 0);
        Evaluated better = Evaluated.of(c, 0, 1, 0);
        Evaluated failed = new Evaluated(c, 0, p(5, 5), false);
        Evaluated failedToo = Evaluated.infeasible(c, 1);
        assertThat(Pareto.constrainedDominance(good, failed)).isEqualTo(1);
        assertThat(Pareto.constrainedDominance(failed, good)).isEqualTo(-1);
        assertThat(Pareto.constrainedDominance(failed, failedToo)).isZero();
        assertThat(Pareto.constrainedDominance(better, good)).isEqualTo(1);
        assertThat(Pareto.constrainedDominance(good, good)).isZero();
    }
}
