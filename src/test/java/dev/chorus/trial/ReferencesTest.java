package dev.chorus.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tuned single-task references: chosen on validation among configurations that train a task alone, the
 * fixed baseline one more option, and the gain from sharing paired by replicate against them.
 */
class ReferencesTest {

    /** Task a: AUC (higher is better); task b: RMSE (lower is better). Baselines: a 0.70, b 2.0 on both splits. */
    private static final List<Task> TASKS = List.of(new Task("a", TaskType.BINARY, Metric.AUC),
            new Task("b", TaskType.REGRESSION, Metric.RMSE));
    private static final double BASE_A = 0.70;
    private static final double BASE_B = 2.0;
    private static final Candidate SHARED = candidate(0, 0);
    private static final Candidate APART = candidate(0, 1);

    private static Candidate candidate(int... groups) {
        List<Integer> g = new ArrayList<>();
        for (int x : groups) {
            g.add(x);
        }
        return new Candidate(g, java.util.Collections.nCopies(g.size(), 1.0), Weighting.EQUAL, new TrainSettings(8, 1, 0.01, 2, 64));
    }

    /** One complete run: values of a and b on validation, then on test, scored against the fixed baselines. */
    private static Trial run(long id, int replicate, Long repeatOf, Candidate c, double va, double vb, double ta, double tb) {
        List<TaskResult> results = List.of(
                new TaskResult("a", Score.of(va, BASE_A, TASKS.get(0).direction()), Score.of(ta, BASE_A, TASKS.get(0).direction())),
                new TaskResult("b", Score.of(vb, BASE_B, TASKS.get(1).direction()), Score.of(tb, BASE_B, TASKS.get(1).direction())));
        return new Trial(id, 1, (int) id, 0, replicate, repeatOf, null, c, TrialState.COMPLETE, 1, "w", null, null, null,
                null, null, null, results);
    }

    @Test
    void theFixedBaselineStaysTheReferenceUntilASingletonBeatsItOnValidation() {
        // trains both tasks alone, better on test but worse on validation than the fixed baseline
        Runs apart = Runs.of(run(1, 0, null, APART, 0.69, 2.1, 0.90, 1.0), List.of());
        Runs shared = Runs.of(run(2, 0, null, SHARED, 0.77, 1.8, 0.77, 1.8), List.of());
        References refs = References.choose(TASKS, List.of(apart, shared), 1);
        assertThat(refs.of("a")).as("chosen on validation, never on test").isEmpty();
        assertThat(refs.describe()).allMatch(References.Reference::fixedBaseline);
        References.Sharing s = refs.sharing(shared);
        // against the fixed baseline the gain from sharing is the plain delta: a +10 %, b +10 % (lower RMSE)
        assertThat(s.tasks().get("a").test().mean()).isCloseTo(10.0, within(1e-9));
        assertThat(s.tasks().get("b").test().mean()).isCloseTo(10.0, within(1e-9));
        assertThat(s.testDeltaM().mean()).isCloseTo(10.0, within(1e-9));
        assertThat(s.runs()).isEqualTo(1);
    }

    @Test
    void sharingIsPairedByReplicateAgainstTheReferencesRuns() {
        // the tuned singletons: a 0.75 and b 1.6 on every replicate's validation; on test a 0.80, b 1.5
        Runs tuned = Runs.of(run(1, 0, null, APART, 0.75, 1.6, 0.80, 1.5), List.of(
                run(3, 1, 1L, APART, 0.75, 1.6, 0.80, 1.5), run(4, 2, 1L, APART, 0.75, 1.6, 0.80, 1.5)));
        // shared: test a 0.84, 0.88, 0.80 on replicates 0..2; b 1.5 throughout
        Runs shared = Runs.of(run(2, 0, null, SHARED, 0.76, 1.6, 0.84, 1.5), List.of(
                run(5, 1, 2L, SHARED, 0.76, 1.6, 0.88, 1.5), run(6, 2, 2L, SHARED, 0.76, 1.6, 0.80, 1.5)));
        References refs = References.choose(TASKS, List.of(tuned, shared), 3);
        assertThat(refs.of("a")).as("shared trains a with b: only the apart configuration can be a reference")
                .hasValueSatisfying(r -> assertThat(r.first().id()).isEqualTo(1));
        References.Reference a = refs.describe().getFirst();
        assertThat(a.trialNumber()).isEqualTo(1);
        assertThat(a.runs()).isEqualTo(3);
        // the gain from tuning: 0.80 against 0.70 on test, +14.29 %
        assertThat(a.tuning().test().mean()).isCloseTo(100 * 0.10 / 0.70, within(1e-9));
        References.Sharing s = refs.sharing(shared);
        assertThat(s.runs()).isEqualTo(3);
        // task a against the reference's 0.80: +5, +10, 0 %; task b equal: 0
        assertThat(s.tasks().get("a").test().mean()).isCloseTo(5.0, within(1e-9));
        assertThat(s.tasks().get("b").test().mean()).isCloseTo(0.0, within(1e-9));
        assertThat(s.testDeltaM().mean()).isCloseTo(2.5, within(1e-9));
        assertThat(s.testDeltaM().known()).isTrue();
        assertThat(s.testDeltaM().low()).as("5 point spread over 3 runs cannot exclude zero").isLessThan(0);
        assertThat(refs.sharing(tuned).testDeltaM().mean()).as("a reference against itself").isEqualTo(0.0);
    }

    @Test
    void replicatesAReferenceLacksAreLeftOutOfThePairing() {
        // the reference ran replicates 0 and 2 (its replicate 1 failed, say); the member 0 and 1
        Runs tuned = Runs.of(run(1, 0, null, APART, 0.75, 1.6, 0.80, 1.5), List.of(
                run(3, 2, 1L, APART, 0.75, 1.6, 0.80, 1.5)));
        Runs shared = Runs.of(run(2, 0, null, SHARED, 0.76, 1.6, 0.84, 1.5), List.of(
                run(5, 1, 2L, SHARED, 0.76, 1.6, 0.88, 1.5)));
        References.Sharing s = References.choose(TASKS, List.of(tuned, shared), 2).sharing(shared);
        assertThat(s.runs()).as("replicate 1 has no reference run").isEqualTo(1);
        assertThat(s.testDeltaM().known()).isFalse();
    }

    @Test
    void theGainFromTuningIsTheReferencesDeltaMOverTheFixedBaselinesPairedByReplicate() {
        // configuration 1 wins a (validation 0.75 > 0.70) but loses b (2.1 > 2.0), on replicates 0, 1, 2
        Runs forA = Runs.of(run(1, 0, null, APART, 0.75, 2.1, 0.77, 2.2), List.of(
                run(11, 1, 1L, APART, 0.75, 2.1, 0.84, 2.2), run(12, 2, 1L, APART, 0.75, 2.1, 0.70, 2.2)));
        // configuration 2 wins b (1.6) on replicates 0 and 2 only (its replicate 1 failed, say)
        Runs forB = Runs.of(run(2, 0, null, APART, 0.72, 1.6, 0.60, 1.5), List.of(
                run(21, 2, 2L, APART, 0.72, 1.6, 0.60, 1.8)));
        References refs = References.choose(TASKS, List.of(forA, forB), 2);
        assertThat(refs.describe()).extracting(References.Reference::trialNumber).containsExactly(1, 2);
        References.Tuning tuning = refs.tuning().orElseThrow();
        // replicate 0: a +10 %, b +25 % (RMSE 1.5 against 2.0); replicate 2: a 0, b +10 %; replicate 1 unpaired
        assertThat(tuning.runs()).isEqualTo(2);
        assertThat(tuning.testDeltaM().mean()).isCloseTo((17.5 + 5.0) / 2, within(1e-9));
        assertThat(tuning.deltaM().mean()).isCloseTo((100 * 0.05 / 0.70 + 20) / 2, within(1e-9));

        // b's reference the fixed baseline: it counts 0 in every replicate's Δm, and all of a's replicates pair
        References onlyA = References.choose(TASKS, List.of(forA), 3);
        References.Tuning a = onlyA.tuning().orElseThrow();
        assertThat(a.runs()).isEqualTo(3);
        assertThat(a.testDeltaM().mean()).isCloseTo((5.0 + 10.0 + 0.0) / 3, within(1e-9));
        assertThat(a.testDeltaM().low()).as("5 points of spread over 3 runs").isLessThan(0);
        assertThat(References.choose(TASKS, List.of(), 3).tuning()).as("nothing tuned beat the baselines").isEmpty();
    }

    @Test
    void oneLuckyRunCannotDisplaceTheFixedBaseline() {
        Runs lucky = Runs.of(run(1, 0, null, APART, 0.95, 1.0, 0.60, 2.5), List.of());
        References refs = References.choose(TASKS, List.of(lucky), 3);
        assertThat(refs.describe()).as("the study asks 3 runs; the challenger has 1").allMatch(
                References.Reference::fixedBaseline);
        assertThat(refs.challenged(lucky.first())).as("so it races").containsExactly("a", "b");
    }

    @Test
    void aConfirmedReferenceIsNotDisplacedByAnOptionOnFewerRuns() {
        List<Trial> five = new java.util.ArrayList<>();
        for (int r = 1; r < 5; r++) {
            five.add(run(10 + r, r, 1L, APART, 0.75, 1.6, 0.80, 1.5));
        }
        Runs confirmed = Runs.of(run(1, 0, null, APART, 0.75, 1.6, 0.80, 1.5), five);
        Runs challenger = Runs.of(run(2, 0, null, APART, 0.78, 1.5, 0.80, 1.5), List.of(
                run(21, 1, 2L, APART, 0.78, 1.5, 0.80, 1.5), run(22, 2, 2L, APART, 0.78, 1.5, 0.80, 1.5)));
        References refs = References.choose(TASKS, List.of(confirmed, challenger), 3);
        assertThat(refs.of("a")).as("better on validation, but on 3 runs against the incumbent's 5")
                .hasValueSatisfying(r -> assertThat(r.count()).isEqualTo(5));
        assertThat(refs.of("b")).hasValueSatisfying(r -> assertThat(r.first().id()).isEqualTo(1));
        assertThat(References.choose(TASKS, List.of(challenger), 3).of("a"))
                .as("alone on its 3 runs it is the reference").hasValueSatisfying(r -> assertThat(r.first().id()).isEqualTo(2));
    }

    @Test
    void aFirstRunAheadOfTheReferenceOnValidationChallengesIt() {
        Runs tuned = Runs.of(run(1, 0, null, APART, 0.75, 1.6, 0.80, 1.5), List.of());
        References refs = References.choose(TASKS, List.of(tuned), 1);
        assertThat(refs.challenged(run(7, 0, null, APART, 0.77, 1.7, 0.5, 3.0))).containsExactly("a");
        assertThat(refs.challenged(run(8, 0, null, APART, 0.74, 1.5, 0.5, 3.0))).containsExactly("b");
        assertThat(refs.challenged(run(9, 0, null, SHARED, 0.99, 1.0, 0.99, 1.0))).as("shares: no task alone").isEmpty();
        assertThat(References.alone(candidate(0, 0, 1), 2)).isTrue();
        assertThat(References.alone(candidate(0, 0, 1), 0)).isFalse();
    }
}
