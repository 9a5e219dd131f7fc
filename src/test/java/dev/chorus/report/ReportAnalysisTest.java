package dev.chorus.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.trial.Interval;
import dev.chorus.trial.Score;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's judgements: which configuration to recommend, and which task hurts which. */
class ReportAnalysisTest {

    private static ParetoFront.Member member(int number, int models, double deltaM, List<String> violations) {
        return new ParetoFront.Member(number, number, models, List.of(), "equal", deltaM, deltaM, List.of(),
                violations, 1, Interval.of(deltaM), Interval.of(deltaM), java.util.Map.of());
    }

    @Test
    void fewestModelsMeetsThePolicyAndTheKneeIsWhereGainsFlatten() {
        List<ParetoFront.Member> front = List.of(member(0, 1, -3.0, List.of("a1 12% worse")), member(1, 2, 4.0, List.of()),
                member(2, 3, 5.0, List.of()), member(3, 6, 5.5, List.of()));
        ParetoReport.Recommendation r = Recommendations.of(front, "no task more than 10% worse", 6, true);
        assertThat(r.fewestModels().number()).as("trial 0 breaks the policy").isEqualTo(1);
        assertThat(r.fewestModelsReason()).contains("fewest models (2)");
        assertThat(r.knee().number()).as("3 models buy most of the Δm; 3 more add 0.5").isEqualTo(2);
        assertThat(Recommendations.of(List.of(), "none", 6, true).fewestModels()).isNull();
        assertThat(Recommendations.of(List.of(front.getFirst()), "p", 6, true).fewestModelsReason())
                .contains("no front member meets the acceptance policy");
    }

    @Test
    void withTwoModelCountsTheKneeIsTheBestDeltaM() {
        assertThat(Recommendations.knee(List.of(member(0, 1, 1.0, List.of()), member(1, 2, 3.0, List.of())))
                .number()).isEqualTo(1);
    }

    private static Trial trial(int number, List<Integer> groups, double... deltas) {
        List<TaskResult> results = new ArrayList<>();
        String[] names = {"a", "b", "c"};
        for (int i = 0; i < deltas.length; i++) {
            Score score = new Score(0.5, 0.5, deltas[i]);
            results.add(new TaskResult(names[i], score, score));
        }
        return new Trial(number, 1, number, 0, 0, null, new Candidate(groups, List.of(1.0, 1.0, 1.0), Weighting.EQUAL,
                new TrainSettings(8, 1, 0.01, 2, 32)), TrialState.COMPLETE, 1, "w", 0.0, 0.0, null, Instant.EPOCH,
                Instant.EPOCH, Instant.EPOCH, results);
    }

    @Test
    void aTaskThatLosesWhenSharingWithAnotherIsReported() {
        List<Trial> trials = List.of(trial(0, List.of(0, 0, 1), 1, -6, 0), trial(1, List.of(0, 0, 0), 1, -4, 0),
                trial(2, List.of(0, 1, 1), 1, 2, 0), trial(3, List.of(0, 1, 2), 1, 1, 0));
        List<ParetoReport.Finding> findings = NegativeTransfer.of(List.of("a", "b", "c"), trials);
        assertThat(findings).extracting(ParetoReport.Finding::source, ParetoReport.Finding::victim)
                .contains(org.assertj.core.groups.Tuple.tuple("a", "b"));
        ParetoReport.Finding ab = findings.stream().filter(f -> f.source().equals("a") && f.victim().equals("b"))
                .findFirst().orElseThrow();
        assertThat(ab.withSource()).isEqualTo(-5.0);
        assertThat(ab.withoutSource()).isEqualTo(1.5);
        assertThat(ab.trialsWith()).isEqualTo(2);
        assertThat(findings).noneMatch(f -> f.victim().equals("a")).as("a never loses");
    }
}
