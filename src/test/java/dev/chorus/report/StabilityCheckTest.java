package dev.chorus.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stability check read from its variants' runs: paired run for run with the recommendation. */
class StabilityCheckTest {

    private static final List<Task> TASKS = List.of(new Task("a", TaskType.BINARY, Metric.AUC),
            new Task("b", TaskType.BINARY, Metric.AUC));
    private static final References FIXED = References.choose(TASKS, List.of(), 3);
    private static final TrainSettings SETTINGS = new TrainSettings(8, 1, 0.01, 2, 64);
    private static final Candidate SHARED = new Candidate(List.of(0, 0), List.of(1.0, 1.0), Weighting.EQUAL, SETTINGS);

    /** A run whose two tasks score {@code test} on the held-out split against baselines of 0.5. */
    private static Trial run(long id, int replicate, Long repeatOf, Long variantOf, Candidate c, TrialState state,
                             double test) {
        List<TaskResult> results = state != TrialState.COMPLETE ? List.of() : List.of(
                new TaskResult("a", Score.of(0.6, 0.5, TASKS.get(0).direction()), Score.of(test, 0.5, TASKS.get(0).direction())),
                new TaskResult("b", Score.of(0.6, 0.5, TASKS.get(1).direction()), Score.of(test, 0.5, TASKS.get(1).direction())));
        return new Trial(id, 1, (int) id, 0, replicate, repeatOf, variantOf, c, state, 1, "w", null, null, null,
                null, null, null, results);
    }

    private static Candidate with(Weighting w) {
        return new Candidate(SHARED.groups(), SHARED.weights(), w, SETTINGS);
    }

    /** The recommendation (id 1) on replicates 0, 1, 2 scoring 0.60, 0.55, 0.65 on test: Δm +20, +10, +30 %. */
    private static Runs recommended() {
        return Runs.of(run(1, 0, null, null, SHARED, TrialState.COMPLETE, 0.60),
                List.of(run(2, 1, 1L, null, SHARED, TrialState.COMPLETE, 0.55),
                        run(3, 2, 1L, null, SHARED, TrialState.COMPLETE, 0.65)));
    }

    /** A variant's runs on replicates 0..2, first run {@code id}, scoring {@code tests}. */
    private static List<Trial> variant(long id, Candidate c, TrialState state, double... tests) {
        List<Trial> out = new ArrayList<>();
        for (int r = 0; r < tests.length; r++) {
            out.add(run(id + r, r, r == 0 ? null : id, 1L, c, state, tests[r]));
        }
        return out;
    }

    @Test
    void eachVariantIsComparedRunForRunAndOnlyAnIntervalThatExcludesZeroIsSensitive() {
        List<Trial> runs = new ArrayList<>();
        // uncertainty: 5 points lower on every replicate, give or take 1: significant though the runs spread
        runs.addAll(variant(10, with(Weighting.UNCERTAINTY), TrialState.COMPLETE, 0.575, 0.53, 0.62));
        // rlw: the same on average, but no replicate moves alike: not significant
        runs.addAll(variant(20, with(Weighting.RLW), TrialState.COMPLETE, 0.62, 0.53, 0.65));
        ParetoReport.Stability s = StabilityCheck.of(recommended(), runs, FIXED, true);
        assertThat(s.status()).isEqualTo("checked");
        assertThat(s.trialNumber()).isEqualTo(1);
        assertThat(s.variants()).extracting(ParetoReport.Variant::change)
                .containsExactly("uncertainty instead of equal", "rlw instead of equal");
        ParetoReport.Variant u = s.variants().getFirst();
        assertThat(u.runs()).isEqualTo(3);
        assertThat(u.planned()).isEqualTo(3);
        assertThat(u.trials()).containsExactly(10, 11, 12);
        assertThat(u.testDeltaM().mean()).isCloseTo((15 + 6 + 24) / 3.0, within(1e-9));
        assertThat(u.difference().mean()).isCloseTo(-5.0, within(1e-9));
        assertThat(u.significant()).isTrue();
        ParetoReport.Variant r = s.variants().get(1);
        assertThat(r.difference().mean()).isCloseTo((4 - 4 + 0) / 3.0, within(1e-9));
        assertThat(r.significant()).isFalse();
        assertThat(s.summary()).startsWith("Sensitive: the gain of trial 1 rests on its exact weighting.")
                .contains("Uncertainty instead of equal changes the held-out test Δm by -5.00 [")
                .doesNotContain("Rlw");
    }

    @Test
    void noSignificantChangeIsStableAndNamesTheLargestMove() {
        List<Trial> runs = new ArrayList<>(variant(10, with(Weighting.UNCERTAINTY), TrialState.COMPLETE, 0.62, 0.53, 0.65));
        runs.addAll(variant(20, with(Weighting.RLW), TrialState.COMPLETE, 0.60, 0.55, 0.66));
        ParetoReport.Stability s = StabilityCheck.of(recommended(), runs, FIXED, true);
        assertThat(s.summary()).startsWith("Stable: under 2 variant(s) of trial 1").contains("moves by 0.67 points at most (rlw instead of equal: +0.67 [")
                .contains("no change is significant; a change under about ");
    }

    @Test
    void oneRunPerVariantEstablishesNothing() {
        Runs once = Runs.of(run(1, 0, null, null, SHARED, TrialState.COMPLETE, 0.60), List.of());
        List<Trial> runs = new ArrayList<>(variant(10, with(Weighting.UNCERTAINTY), TrialState.COMPLETE, 0.50));
        runs.addAll(variant(20, with(Weighting.RLW), TrialState.COMPLETE, 0.61));
        ParetoReport.Stability s = StabilityCheck.of(once, runs, FIXED, true);
        assertThat(s.variants()).allSatisfy(v -> assertThat(v.significant()).isFalse());
        assertThat(s.summary()).startsWith("Not established: each variant of trial 1 has one paired run")
                .contains("the largest move was -20.00 points (uncertainty instead of equal)");
    }

    @Test
    void aVariantWithFailedRunsIsComparedOnTheReplicatesItCompleted() {
        List<Trial> runs = new ArrayList<>(variant(10, with(Weighting.UNCERTAINTY), TrialState.COMPLETE, 0.60, 0.55, 0.65));
        runs.set(2, run(12, 2, 10L, 1L, with(Weighting.UNCERTAINTY), TrialState.FAILED, 0));
        runs.addAll(variant(20, with(Weighting.RLW), TrialState.FAILED, 0, 0, 0));
        ParetoReport.Stability s = StabilityCheck.of(recommended(), runs, FIXED, true);
        assertThat(s.variants().getFirst().runs()).isEqualTo(2);
        assertThat(s.variants().getFirst().planned()).isEqualTo(3);
        assertThat(s.variants().getFirst().difference().mean()).isZero();
        assertThat(s.variants().get(1).runs()).isZero();
        assertThat(s.variants().get(1).difference()).isNull();
        assertThat(s.summary()).contains("1 variant(s) completed no paired run.");
    }

    @Test
    void statusesBeforeAndWithoutTheCheck() {
        assertThat(StabilityCheck.of(recommended(), List.of(), null, false).status()).isEqualTo("pending");
        assertThat(StabilityCheck.of(recommended(), List.of(), null, false).summary())
                .isEqualTo("Runs once the search is over: 2 variant(s) × 3 run(s), outside the trial budget.");
        assertThat(StabilityCheck.of(recommended(), List.of(), null, true).status()).isEqualTo("not-run");
        List<Trial> waiting = variant(10, with(Weighting.UNCERTAINTY), TrialState.WAITING, 0, 0, 0);
        assertThat(StabilityCheck.of(recommended(), waiting, FIXED, false).status()).isEqualTo("running");
        Candidate apart = new Candidate(List.of(0, 1), List.of(1.0, 1.0), Weighting.EQUAL, SETTINGS);
        Runs alone = Runs.of(run(1, 0, null, null, apart, TrialState.COMPLETE, 0.6), List.of());
        assertThat(StabilityCheck.of(alone, List.of(), null, true).status()).isEqualTo("not-applicable");
        List<Trial> ofAnother = variant(10, with(Weighting.UNCERTAINTY), TrialState.COMPLETE, 0.6, 0.6, 0.6).stream()
                .map(t -> new Trial(t.id(), 1, t.number(), 0, t.replicate(), t.repeatOf(), 99L, t.candidate(), t.state(),
                        1, "w", null, null, null, null, null, null, t.results())).toList();
        assertThat(StabilityCheck.of(recommended(), ofAnother, FIXED, true).status())
                .as("variants of an earlier recommendation do not count").isEqualTo("not-run");
    }
}
