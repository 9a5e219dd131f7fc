package dev.chorus.bench;

import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.Task;
import dev.chorus.report.ParetoFront;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.Replicates;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyStore;
import dev.chorus.trial.Interval;
import dev.chorus.trial.References;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The optimism benchmark's check of one finished study's answer: its recommended configuration (if any) and
 * every task's tuned reference re-run on fresh seeds ({@link Reevaluation}), after the study's own replicate
 * 0 is re-run and compared with what it stored. Not thread-safe: training in one JVM is serial anyway.
 */
final class AnswerCheck {

    private final StudyService studies;
    private final StudyStore studyStore;
    private final int seeds;

    /** @param seeds how many fresh seeds to re-run on */
    AnswerCheck(StudyService studies, StudyStore studyStore, int seeds) {
        this.studies = studies;
        this.studyStore = studyStore;
        this.seeds = seeds;
    }

    /**
     * A reported figure against its re-evaluation over fresh seeds.
     *
     * @param again   the re-evaluated mean and interval, or null without a run
     * @param gap     abs(reported mean − re-evaluated mean), NaN without a run
     * @param perSeed the mean over seeds of abs(reported mean − the seed's value)
     */
    record Compared(Interval reported, Interval again, double gap, double perSeed) {

        static Compared of(Interval reported, List<Reevaluation.Run> runs,
                           java.util.function.ToDoubleFunction<Reevaluation.Run> figure) {
            Interval again = runs.isEmpty() ? null : Interval.of(runs.stream().mapToDouble(figure).toArray());
            return new Compared(reported, again, again == null ? Double.NaN : Math.abs(reported.mean() - again.mean()),
                    runs.stream().mapToDouble(r -> Math.abs(reported.mean() - figure.applyAsDouble(r))).average()
                            .orElse(Double.NaN));
        }

        boolean covered() {
            return again != null && reported.known() && reported.low() <= again.mean() && again.mean() <= reported.high();
        }

        String coveredText() {
            return covered() ? "yes" : reported.known() ? "**no**" : "**no**: no interval";
        }
    }

    /** The re-evaluation of one study's recommendation, with the replicate-0 check. */
    record Checked(List<Reevaluation.Run> runs, List<String> failures, String fidelity, int folds) {
    }

    /** Re-runs {@code m} (none when null: the references only) and every task's reference on fresh seeds. */
    Checked reevaluate(OptimismBench.Finished f, ParetoFront.Member m) {
        StudySpec spec = f.spec();
        Reevaluation re = new Reevaluation(f.study().specYaml(), Path.of(f.study().baseDir()),
                studyStore.split(f.study().id()).orElseThrow().split());
        Candidate configuration = m == null ? null : studies.trial(m.trialId()).candidate();
        Map<String, Candidate> references = new LinkedHashMap<>();
        for (References.Reference r : f.front().references()) {
            if (!r.fixedBaseline()) {
                references.put(r.task(), studies.trial(r.trialId()).candidate());
            }
        }
        Set<Long> used = new HashSet<>();
        f.trials().forEach(t -> used.add(Replicates.seed(spec, t.replicate())));
        List<Long> fresh = Reevaluation.freshSeeds(spec, seeds);
        if (fresh.stream().flatMap(s -> java.util.stream.IntStream.range(0, Math.max(re.folds(), 1))
                .mapToObj(fold -> re.freshTrainingSeed(s, fold))).anyMatch(used::contains)) {
            throw new IllegalStateException("a fresh seed " + fresh + " was used by the study: " + used);
        }
        Reevaluation.Run own = re.run(configuration, references, re.studyRows(0), Replicates.seed(spec, 0));
        String fidelity = replicate0(f, m, own);
        List<Reevaluation.Run> runs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (long seed : fresh) {
            try {
                runs.add(re.fresh(configuration, references, seed));
            } catch (RuntimeException e) {
                failures.add(seed + ": " + e.getMessage());
            }
        }
        return new Checked(runs, failures, fidelity, re.folds());
    }

    /**
     * Whether the re-run of replicate 0 reproduced, bit for bit, what the study stored for it: each task's test
     * metric of the recommendation's first run (when there is one) and of its reference's first run (the
     * paired fixed baseline where that is the reference).
     */
    private String replicate0(OptimismBench.Finished f, ParetoFront.Member m, Reevaluation.Run own) {
        Map<String, Long> references = new LinkedHashMap<>();
        f.front().references().forEach(r -> references.put(r.task(), r.trialId()));
        // any first run of replicate 0 carries each task's paired fixed baseline
        Trial first = studies.trial(m != null ? m.trialId() : references.values().stream()
                .filter(java.util.Objects::nonNull).findFirst().orElseThrow());
        List<String> differences = new ArrayList<>();
        for (Task task : f.spec().tasks()) {
            TaskResult mine = result(first, task.name());
            Long reference = references.get(task.name());
            double theirs = reference == null ? mine.test().baseline()
                    : result(studies.trial(reference), task.name()).test().value();
            Reevaluation.TaskRun again = own.tasks().get(task.name());
            if ((m != null && again.test() != mine.test().value()) || again.referenceTest() != theirs) {
                differences.add(String.format(Locale.ROOT, "%s %s/%s re-run vs %s/%s stored", task.name(),
                        again.test(), again.referenceTest(), mine.test().value(), theirs));
            }
        }
        return differences.isEmpty() ? String.format(Locale.ROOT, "exact (sharing Δm %+.2f, tuning Δm %+.2f)",
                own.testDeltaM(), own.testTuningDeltaM()) : "**differs**: " + String.join("; ", differences);
    }

    private static TaskResult result(Trial t, String task) {
        return t.results().stream().filter(r -> r.task().equals(task)).findFirst().orElseThrow();
    }

    /** Each task's test delta of a run: the configuration's against its reference, then the reference's gain from tuning. */
    static String perTask(Reevaluation.Run r) {
        List<String> parts = new ArrayList<>();
        r.tasks().forEach((task, t) -> parts.add(String.format(Locale.ROOT, "%s %+.1f / %+.1f", task, t.testDelta(),
                t.tuningTestDelta())));
        return String.join(", ", parts);
    }
}
