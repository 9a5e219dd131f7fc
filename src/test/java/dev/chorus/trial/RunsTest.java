package dev.chorus.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A configuration's numbers are means over its complete runs, with intervals; failed runs do not count. */
class RunsTest {

    private static final Candidate C = new Candidate(List.of(0, 0), List.of(1.0, 1.0), Weighting.EQUAL,
            new TrainSettings(8, 1, 0.01, 2, 64));

    private static Trial run(long id, int replicate, Long repeatOf, TrialState state, double deltaA, double deltaB) {
        List<TaskResult> results = state != TrialState.COMPLETE ? List.of() : List.of(
                new TaskResult("a", new Score(0.5 + deltaA / 100, 0.5, deltaA), new Score(0.5, 0.5, deltaA / 2)),
                new TaskResult("b", new Score(0.5 + deltaB / 100, 0.5, deltaB), new Score(0.5, 0.5, deltaB / 2)));
        return new Trial(id, 1, (int) id, 0, replicate, repeatOf, null, C, state, 1, "w", null, null, null, null, null, null,
                results);
    }

    @Test
    void meansAndIntervalsOverCompleteRuns() {
        Trial first = run(1, 0, null, TrialState.COMPLETE, 2, 4);
        Runs runs = Runs.of(first, List.of(run(2, 1, 1L, TrialState.COMPLETE, 4, 6), run(3, 2, 1L, TrialState.FAILED, 0, 0),
                run(4, 3, 1L, TrialState.COMPLETE, 6, 8)));
        assertThat(runs.count()).as("the failed repeat does not count").isEqualTo(3);
        // Δm per run: 3, 5, 7 -> mean 5, sd 2, half-width t(0.975, 2) * 2 / sqrt(3) = 4.968275
        assertThat(runs.deltaM().mean()).isEqualTo(5.0);
        assertThat(runs.deltaM().low()).isCloseTo(5 - 4.968275, within(1e-6));
        assertThat(runs.testDeltaM().mean()).isEqualTo(2.5);
        assertThat(runs.deltas().get("a").validation().mean()).isEqualTo(4.0);
        Trial mean = runs.mean();
        assertThat(mean.id()).isEqualTo(1);
        assertThat(mean.deltaM()).isEqualTo(5.0);
        assertThat(mean.results().getFirst().validation().delta()).isEqualTo(4.0);
        assertThat(mean.results().getFirst().validation().value()).isCloseTo(0.54, within(1e-12));
    }

    @Test
    void aSingleRunHasNoIntervalAndRepeatsMustBelong() {
        Trial first = run(1, 0, null, TrialState.COMPLETE, 2, 4);
        assertThat(Runs.of(first, List.of()).deltaM().known()).isFalse();
        assertThatThrownBy(() -> Runs.of(first, List.of(run(9, 1, 7L, TrialState.COMPLETE, 1, 1))))
                .hasMessageContaining("does not repeat trial 1");
        assertThatThrownBy(() -> Runs.of(run(2, 1, 1L, TrialState.COMPLETE, 1, 1), List.of()))
                .hasMessageContaining("is a repeat");
    }
}
