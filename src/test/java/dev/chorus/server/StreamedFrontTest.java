package dev.chorus.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.TestStudies;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.search.Pareto;
import dev.chorus.spec.SpecParser;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.Objectives;
import dev.chorus.trial.Score;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The front read a trial at a time equals the pairwise front of the whole list, with the acceptance policy. */
class StreamedFrontTest {

    private static final StudySpec SPEC = SpecParser.parse(TestStudies.tinyYaml()
            .replace("budget:", "constraints:\n  max-task-loss: 5\nbudget:"), Path.of("."));

    @Test
    void keepsTheSameTrialsInTheSameOrderAsThePairwiseFront() {
        Random random = new Random(20261207);
        int feasibleOnes = 0;
        int withoutFeasible = 0;
        for (int round = 0; round < 2_000; round++) {
            List<Trial> trials = new ArrayList<>();
            int n = 1 + random.nextInt(60);
            // few distinct values, so that ties, equal vectors and dominance all occur; some beyond the policy
            // (a task more than 5 % worse), and every third round all of them
            int shift = round % 3 == 0 ? -12 : 0;
            for (int i = 0; i < n; i++) {
                trials.add(trial(i, random.nextInt(3) + 1, random.nextInt(5) * 3 - 8 + shift,
                        random.nextInt(5) * 3 - 8 + shift, random.nextInt(4) * 2 - 3));
            }
            StreamedFront streamed = new StreamedFront(SPEC);
            trials.forEach(t -> streamed.offer(t, t.number()));
            List<Trial> expected = pairwise(trials);
            assertThat(streamed.trials()).as("round %d: %s", round, trials).isEqualTo(expected);
            assertThat(streamed.entries()).allMatch(e -> e.tag().equals(e.trial().number()));
            if (trials.stream().anyMatch(t -> Objectives.feasible(SPEC, t))) {
                feasibleOnes++;
            } else {
                withoutFeasible++;
            }
        }
        assertThat(feasibleOnes).as("rounds with an acceptable trial").isGreaterThan(100);
        assertThat(withoutFeasible).as("rounds with none, where the front is of all trials").isGreaterThan(100);
    }

    /** The front as FrontKeeper defined it before: the acceptable trials (all if none), compared pairwise. */
    private static List<Trial> pairwise(List<Trial> candidates) {
        List<Trial> acceptable = candidates.stream().filter(t -> Objectives.feasible(SPEC, t)).toList();
        List<Trial> pool = acceptable.isEmpty() ? candidates : acceptable;
        return Pareto.nonDominated(pool.stream().map(t -> Objectives.of(SPEC, t)).toList()).stream()
                .map(pool::get).toList();
    }

    private static Trial trial(int number, int models, double... deltas) {
        List<String> tasks = List.of("a1", "a2", "c1");
        List<TaskResult> results = new ArrayList<>();
        for (int i = 0; i < deltas.length; i++) {
            results.add(new TaskResult(tasks.get(i), new Score(0.5, 0.5, deltas[i]), new Score(0.5, 0.5, 0)));
        }
        List<Integer> groups = models == 1 ? List.of(0, 0, 0) : models == 2 ? List.of(0, 0, 1) : List.of(0, 1, 2);
        Candidate c = new Candidate(groups, List.of(1.0, 1.0, 1.0), Weighting.EQUAL, new TrainSettings(8, 1, 0.01, 2, 64));
        return new Trial(number + 1, 1, number, 0, 0, null, null, c, TrialState.COMPLETE, 1, "w", 0.0, 0.0, null, null,
                null, null, results);
    }
}
