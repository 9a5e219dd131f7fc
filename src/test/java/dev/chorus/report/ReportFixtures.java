package dev.chorus.report;

import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.trial.References;
import dev.chorus.trial.Runs;
import dev.chorus.trial.Score;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A report built by hand, for the renderers: two tasks and a front of two members, one measured over three
 * runs and one over a single run. Fixed numbers, so every interval is known in advance (Student's t with
 * 2 degrees of freedom, t = 4.302653):
 *
 * <ul>
 *   <li>trial 4, 2 models, 3 runs: validation deltas per run (task 1, task 2) (2, 4), (4, 6), (6, 8); test
 *       deltas half those. Task 1: validation +4.00 % [-0.97, +8.97], test +2.00 % [-0.48, +4.48]; task 2:
 *       validation +6.00 % [+1.03, +10.97], test +3.00 % [+0.52, +5.48]; Δm validation +5.00 % [+0.03, +9.97],
 *       test +2.50 % [+0.02, +4.98].
 *   <li>trial 9, 3 models, 1 run: validation deltas (1, -3), test (0.5, -1.5); Δm -1.00 % and -0.50 %.
 * </ul>
 * The first member is the recommended one (fewest models, and the knee).
 */
final class ReportFixtures {

    private ReportFixtures() {
    }

    /** The report of tasks {@code task1} and {@code task2}. */
    static ParetoReport report(String task1, String task2) {
        return report(task1, task2, null);
    }

    /**
     * As {@link #report(String, String)}, with the recommendation carrying {@code tuning} as the references'
     * gain from tuning (the fixture's references stay the fixed baselines: only the renderers read it).
     */
    static ParetoReport report(String task1, String task2, References.Tuning tuning) {
        List<String> tasks = List.of(task1, task2);
        ParetoFront.Member three = member(tasks, 4, 2, new double[][] {{2, 4}, {4, 6}, {6, 8}});
        ParetoFront.Member one = member(tasks, 9, 3, new double[][] {{1, -3}});
        return new ParetoReport(
                new ParetoReport.Study(1, "fixture", "completed", "name: fixture\n", tasks, 10, 10, 10, "none"),
                List.of(new ParetoReport.Baseline(task1, "auc", "maximize", 0.5, 0.5, "0123456789abcdef"),
                        new ParetoReport.Baseline(task2, "auc", "maximize", 0.5, 0.5, "fedcba9876543210")),
                baselinesOnly(tasks).describe(), List.of(three, one),
                new ParetoReport.Recommendation(three, "fewest models (2)", three, "the knee", "share the model", false,
                        false, tuning),
                stability(), List.of(), new ParetoReport.Affinity(List.of(), null),
                new HypervolumeHistory(1, List.of(), new double[0], null, null, "exact (HSO)", List.of()),
                new ParetoReport.Reproduction(7, "seed 7", null, "hash", Map.of("chorus", "test")), Instant.EPOCH);
    }

    /** A checked stability: one variant paired on 3 runs, one that completed none. */
    static ParetoReport.Stability stability() {
        List<ParetoReport.Variant> variants = List.of(
                new ParetoReport.Variant("uncertainty instead of equal", "uncertainty", List.of(11, 12, 13), 3, 3,
                        dev.chorus.trial.Interval.of(1, 2, 3), dev.chorus.trial.Interval.of(-1, -0.5, 0.2), false),
                new ParetoReport.Variant("rlw instead of equal", "rlw", List.of(14, 15, 16), 0, 3, null, null, false));
        return new ParetoReport.Stability("checked", 4, StabilityCheck.summary(4, variants), variants);
    }

    /** A front member over the runs whose per-task validation deltas are {@code runs}; test deltas are half. */
    private static ParetoFront.Member member(List<String> tasks, long id, int models, double[][] runs) {
        Trial first = run(tasks, id, 0, null, runs[0]);
        List<Trial> repeats = new ArrayList<>();
        for (int r = 1; r < runs.length; r++) {
            repeats.add(run(tasks, id + r, r, id, runs[r]));
        }
        Runs all = Runs.of(first, repeats);
        Trial mean = all.mean();
        return new ParetoFront.Member(mean.id(), mean.number(), models, List.of(tasks), "equal", mean.deltaM(),
                mean.testDeltaM(), mean.results(), List.of(), all.count(), all.deltaM(), all.testDeltaM(), all.deltas(),
                baselinesOnly(tasks).sharing(all));
    }

    /** References where no singleton was tried: every task's is its fixed baseline, so sharing equals the deltas. */
    private static References baselinesOnly(List<String> tasks) {
        return References.choose(tasks.stream().map(t -> new Task(t, TaskType.BINARY, Metric.AUC)).toList(), List.of(), 3);
    }

    private static Trial run(List<String> tasks, long id, int replicate, Long repeatOf, double[] deltas) {
        List<TaskResult> results = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            results.add(new TaskResult(tasks.get(i), new Score(0.5 + deltas[i] / 200, 0.5, deltas[i]),
                    new Score(0.5 + deltas[i] / 400, 0.5, deltas[i] / 2)));
        }
        Candidate c = new Candidate(List.of(0, 0), List.of(1.0, 1.0), Weighting.EQUAL, new TrainSettings(8, 1, 0.01, 2, 64));
        return new Trial(id, 1, (int) id, 0, replicate, repeatOf, null, c, TrialState.COMPLETE, 1, "w", null, null, null,
                Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, results);
    }
}
