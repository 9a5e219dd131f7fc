package dev.chorus.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.TestStudies;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.spec.SpecParser;
import dev.chorus.spec.StudySpec;
import dev.chorus.trial.Score;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The acceptance policy: "no task more than X% worse than its baseline". */
class ConstraintsTest {

    private static final StudySpec SPEC = SpecParser.parse(
            TestStudies.tinyYaml().replace("budget:", "constraints:\n  max-task-loss: 5\nbudget:"), Path.of("."));

    private static Trial trial(double... deltas) {
        List<String> tasks = List.of("a1", "a2", "c1");
        List<TaskResult> results = new java.util.ArrayList<>();
        for (int i = 0; i < deltas.length; i++) {
            results.add(new TaskResult(tasks.get(i), new Score(0.5, 0.5, deltas[i]), new Score(0.5, 0.5, 0)));
        }
        Candidate c = new Candidate(List.of(0, 0, 1), List.of(1.0, 1.0, 1.0), Weighting.EQUAL,
                new TrainSettings(8, 1, 0.01, 2, 64));
        return new Trial(1, 1, 0, 0, 0, null, null, c, TrialState.COMPLETE, 1, "w", 0.0, 0.0, null, null, null, null, results);
    }

    @Test
    void parsedFromTheFile() {
        assertThat(SPEC.constraints().maxTaskLoss()).isEqualTo(5.0);
        assertThat(SpecParser.parse(TestStudies.tinyYaml(), Path.of(".")).constraints())
                .isEqualTo(StudySpec.Constraints.NONE);
        assertThatThrownBy(() -> SpecParser.parse(
                TestStudies.tinyYaml().replace("budget:", "constraints:\n  max-task-loss: -1\nbudget:"), Path.of(".")))
                .hasMessageContaining("constraints.max-task-loss");
    }

    @Test
    void aTaskTooFarBelowItsBaselineMakesTheTrialInfeasible() {
        Trial fine = trial(+3, -4.9, 0);
        Trial bad = trial(+30, -5.1, 0);
        assertThat(SPEC.constraints().violations(bad.results())).singleElement().asString()
                .contains("a2 is 5.10% worse");
        assertThat(Objectives.feasible(SPEC, fine)).isTrue();
        assertThat(Objectives.feasible(SPEC, bad)).isFalse();
        assertThat(Objectives.evaluated(SPEC, bad).feasible()).as("ranks after every acceptable trial").isFalse();
        assertThat(Objectives.evaluated(SPEC, fine).feasible()).isTrue();
    }
}
