package dev.chorus.study;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.TestStudies;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.search.Pareto;
import dev.chorus.spec.SpecParser;
import dev.chorus.spec.StudySpec;
import dev.chorus.trial.Score;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The search chooses on validation only: test metrics never move an objective, a constraint or the front. */
class ObjectivesTest {

    private static final StudySpec SPEC = SpecParser.parse(
            TestStudies.tinyYaml().replace("budget:", "constraints:\n  max-task-loss: 5\nbudget:"), Path.of("."));

    /** Tasks a1 (auc, max), a2 (rmse, min), c1 (accuracy, max); one validation and one test score each. */
    private static Trial trial(int number, double[] validation, double[] test) {
        List<String> tasks = List.of("a1", "a2", "c1");
        List<TaskResult> results = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            results.add(new TaskResult(tasks.get(i), new Score(validation[i], 0.5, validation[i] * 10),
                    new Score(test[i], 0.5, test[i] * 10)));
        }
        Candidate c = new Candidate(List.of(0, 0, 1), List.of(1.0, 1.0, 1.0), Weighting.EQUAL,
                new TrainSettings(8, 1, 0.01, 2, 64));
        return new Trial(number, 1, number, 0, 0, null, null, c, TrialState.COMPLETE, 1, "w", 0.0, 0.0, null, null, null, null, results);
    }

    @Test
    void objectivesHypervolumePointsAndConstraintsReadValidationOnly() {
        Trial t = trial(0, new double[] {0.8, 0.3, 0.7}, new double[] {0.1, 0.9, 0.2});
        assertThat(Objectives.of(SPEC, t)).as("validation deltas, minus models").containsExactly(8.0, 3.0, 7.0, -2.0);
        assertThat(Objectives.forHypervolume(SPEC, t)).as("validation deltas").containsExactly(8.0, 3.0, 7.0, -2.0);

        Trial badOnTestOnly = trial(1, new double[] {0.1, 0.1, 0.1}, new double[] {-9, -9, -9});
        assertThat(Objectives.feasible(SPEC, badOnTestOnly)).as("test deltas of -90 % break no constraint").isTrue();
        Trial badOnValidation = trial(2, new double[] {-0.6, 0.1, 0.1}, new double[] {9, 9, 9});
        assertThat(Objectives.feasible(SPEC, badOnValidation)).as("a validation delta of -6 % does").isFalse();
    }

    @Test
    void aTrialBetterOnTestButWorseOnValidationIsDominated() {
        Trial better = trial(0, new double[] {0.8, 0.3, 0.7}, new double[] {0.6, 0.5, 0.5});
        Trial testWinner = trial(1, new double[] {0.7, 0.2, 0.6}, new double[] {0.99, 0.99, 0.99});
        List<double[]> points = List.of(Objectives.of(SPEC, better), Objectives.of(SPEC, testWinner));
        assertThat(Pareto.nonDominated(points)).as("only the validation winner is on the front").containsExactly(0);
    }
}
