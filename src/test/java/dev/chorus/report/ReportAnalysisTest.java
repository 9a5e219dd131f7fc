package dev.chorus.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.trial.Interval;
import dev.chorus.trial.References;
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
                violations, 1, Interval.of(deltaM), Interval.of(deltaM), java.util.Map.of(),
                new References.Sharing(1, Interval.of(deltaM), Interval.of(deltaM), java.util.Map.of()));
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

    /** A member whose Δm against the fixed baselines and against the tuned references are given as runs. */
    private static ParetoFront.Member member(int number, int models, double[] baselineTest, double[] sharingTest,
                                             double[] sharingTaskValidation) {
        Interval sharing = Interval.of(sharingTest);
        return new ParetoFront.Member(number, number, models, List.of(), "equal", sharing.mean(),
                Interval.of(baselineTest).mean(), List.of(), List.of(), baselineTest.length, Interval.of(baselineTest),
                Interval.of(baselineTest), java.util.Map.of(), new References.Sharing(sharingTest.length, sharing,
                sharing, java.util.Map.of("a", new dev.chorus.trial.Runs.TaskDeltas(
                        Interval.of(sharingTaskValidation), Interval.of(sharingTaskValidation)))));
    }

    @Test
    void aGainOverTheFixedBaselinesIsNoGainOverTheTunedReferences() {
        // +8 % against the fixed baselines on every run, but only tuning: against the references [-2, +3]
        ParetoFront.Member tuningOnly = member(4, 2, new double[] {8, 8.5, 7.5}, new double[] {-2, 3, 0.5},
                new double[] {0, 1, -1});
        ParetoReport.Recommendation r = Recommendations.of(List.of(tuningOnly), "none", 3, false);
        assertThat(r.sharingHelps()).isFalse();
        assertThat(r.trainSeparately()).as("no gain and no models objective: the references").isTrue();
        assertThat(r.verdict()).startsWith("No significant gain over the tuned single-task models")
                .contains("+0.50 %, 95 % interval [-5.71, +6.71] over 3 paired runs") // sd 2.5, t(0.975, 2) 4.303
                .contains("The interval is ±6.21 points wide at 3 runs, so a real gain smaller than that would "
                        + "seldom show as significant here; 20 runs (evaluation.confirm: 20) would narrow it to "
                        + "about ±2.41.") // 6.21 * sqrt(3 / 20)
                .endsWith("Train the tasks separately, each with its "
                        + "reference's settings.");
        ParetoFront.Member sharing = member(5, 2, new double[] {9, 10, 11}, new double[] {4, 5, 6}, new double[] {1, 2, 3});
        r = Recommendations.of(List.of(sharing), "none", 3, false);
        assertThat(r.sharingHelps()).isTrue();
        assertThat(r.trainSeparately()).isFalse();
        assertThat(r.verdict()).startsWith("Sharing helps: trial 5 trains 2 model(s) for 3 tasks");
    }

    @Test
    void aMemberThatLosesATaskAgainstItsReferenceIsNeverRecommended() {
        ParetoFront.Member losesA = member(1, 1, new double[] {9, 10, 11}, new double[] {4, 5, 6}, new double[] {-3, -2, -4});
        ParetoFront.Member apart = member(2, 3, new double[] {1, 2, 3}, new double[] {0, 0, 0}, new double[] {0, 0, 0});
        ParetoReport.Recommendation r = Recommendations.of(List.of(losesA, apart), "none", 3, true);
        assertThat(r.fewestModels().number()).as("fewer models, but task a is worse than alone").isEqualTo(2);
        assertThat(r.sharingHelps()).isFalse();
    }

    @Test
    void aSignificantLossOrAnUnracedMemberIsNotRecommended() {
        ParetoFront.Member loses = member(1, 1, new double[] {1, 2, 3}, new double[] {-31, -29, -30}, new double[] {0, 1, -1});
        ParetoFront.Member apart = member(2, 3, new double[] {1, 2, 3}, new double[] {0, 0, 0}, new double[] {0, 0, 0});
        assertThat(Recommendations.of(List.of(loses, apart), "none", 3, true, 3).fewestModels().number())
                .as("Δm against the references wholly below zero").isEqualTo(2);
        ParetoFront.Member once = member(3, 1, new double[] {9}, new double[] {9}, new double[] {9});
        ParetoReport.Recommendation r = Recommendations.of(List.of(once, apart), "none", 3, true, 3);
        assertThat(r.fewestModels().number()).as("one lucky run yields to a member with all its runs").isEqualTo(2);
        r = Recommendations.of(List.of(once), "none", 3, true, 3);
        assertThat(r.fewestModels().number()).isEqualTo(3);
        assertThat(r.fewestModelsReason()).endsWith("no member has all the study's runs yet, so this rests on fewer");
    }

    @Test
    void amongConfirmedMembersAValidationGainFromSharingComesBeforeFewerModels() {
        double[] zero = new double[] {1, -1, 0, 1, -1};
        ParetoFront.Member one = member(1, 1, new double[] {1, 2, 3, 2, 2}, zero, zero);
        ParetoFront.Member two = member(2, 2, new double[] {5, 6, 7, 6, 6}, new double[] {5, 6, 7, 6, 6},
                new double[] {5, 6, 7, 6, 6});
        ParetoFront.Member raced = member(3, 1, new double[] {9, 9, 9}, new double[] {9, 10, 11}, new double[] {9, 10, 11});
        ParetoReport.Recommendation r = Recommendations.of(List.of(one, two, raced), "none", 3, true, 3, 5);
        assertThat(r.fewestModels().number()).as("confirmed first; then the one gaining on validation, "
                + "though it needs more models").isEqualTo(2);
        assertThat(r.fewestModelsReason()).contains("gain from sharing on validation (interval above zero)")
                .endsWith("confirmed on 5 runs after the search");
        assertThat(r.sharingHelps()).isTrue();
        assertThat(Recommendations.of(List.of(one, two, raced), "none", 3, true, 3).fewestModels().number())
                .as("without a confirmation the rule is unchanged: the fewest models, best Δm among equals")
                .isEqualTo(3);
        assertThat(Recommendations.of(List.of(one, raced), "none", 3, true, 3, 5).fewestModels().number())
                .as("no confirmed member gains: the fewest models among the confirmed").isEqualTo(1);
    }

    @Test
    void whenEveryMemberLosesToTheReferencesTheAnswerIsSeparateModels() {
        ParetoFront.Member loses = member(1, 1, new double[] {1, 2, 3}, new double[] {-9, -8, -7}, new double[] {0, 1, 2});
        ParetoReport.Recommendation r = Recommendations.of(List.of(loses), "none", 3, false, 3);
        assertThat(r.fewestModels()).isNull();
        assertThat(r.sharingHelps()).isFalse();
        assertThat(r.trainSeparately()).as("every member loses to the references").isTrue();
        assertThat(r.verdict()).isEqualTo(Recommendations.LOSES_TO_REFERENCES).contains("Train the tasks separately");
        assertThat(Recommendations.of(List.of(), "none", 3, false, 3).verdict()).startsWith("No recommendation");
        assertThat(Recommendations.of(List.of(), "none", 3, false, 3).trainSeparately()).as("nothing settled yet")
                .isFalse();
        assertThat(Recommendations.of(List.of(loses), "none", 3, false, 3, 3, REFERENCES, TUNING).verdict())
                .as("the advice names what to train, and what it buys").isEqualTo(Recommendations.LOSES_TO_REFERENCES
                        .replace("reference's settings.", "reference's settings (a: trial 4; b: trial 9; c: the fixed "
                                + "baseline). Against the fixed baseline settings these references have a held-out test "
                                + "Δm of +5.00 %, 95 % interval [+2.52, +7.48] over 3 paired runs: that is what tuning "
                                + "each task alone buys here.")); // sd 1, t(0.975, 2) 4.303
    }

    /** The references' gain from tuning: test Δm 4, 5, 6 over the fixed baselines. */
    private static final References.Tuning TUNING = new References.Tuning(3, Interval.of(6, 7, 8), Interval.of(4, 5, 6));

    /** Tasks a and b tuned by trials 4 and 9, c still the fixed baseline. */
    private static final List<References.Reference> REFERENCES = List.of(new References.Reference("a", 40L, 4, 3, null),
            new References.Reference("b", 90L, 9, 3, null), new References.Reference("c", null, null, 3, null));

    @Test
    void aSeparateModelsVerdictNamesEachTasksReference() {
        // every task apart with one member's settings, no better than the references: ship the references
        ParetoFront.Member apart = member(7, 3, new double[] {2, 3, 4}, new double[] {-1, 0, 1}, new double[] {-1, 0, 1});
        ParetoReport.Recommendation r = Recommendations.of(List.of(apart), "none", 3, true, 3, 3, REFERENCES, TUNING);
        assertThat(r.fewestModels().number()).isEqualTo(7);
        assertThat(r.tuning()).isSameAs(TUNING);
        assertThat(r.verdict()).startsWith("No significant gain over the tuned single-task models")
                .contains("Train the tasks separately, each with its reference's settings (a: trial 4; b: trial 9; "
                        + "c: the fixed baseline). Against the fixed baseline settings these references have a "
                        + "held-out test Δm of +5.00 %");
        References.Tuning noGain = new References.Tuning(3, Interval.of(1, 2, 3), Interval.of(-1, 0, 2));
        assertThat(Recommendations.of(List.of(apart), "none", 3, true, 3, 3, REFERENCES, noGain).verdict())
                .as("a tuning gain whose interval crosses zero is not claimed either")
                .endsWith("which does not lie above zero: no significant gain from tuning either.");
        References.Tuning once = new References.Tuning(1, Interval.of(2), Interval.of(3));
        assertThat(Recommendations.of(List.of(apart), "none", 3, true, 3, 3, REFERENCES, once).verdict())
                .endsWith("+3.00 % from a single paired run, so no interval: too few runs to claim a gain from tuning.");
        List<References.Reference> fixed = List.of(new References.Reference("a", null, null, 0, null));
        assertThat(Recommendations.of(List.of(apart), "none", 3, true, 3, 3, fixed, null).verdict())
                .endsWith("(a: the fixed baseline). No searched settings beat the fixed baseline's on validation "
                        + "for any task, so the search found nothing to gain by tuning either.");
        assertThat(Recommendations.of(List.of(apart), "none", 3, true, 3, 3).verdict())
                .as("without references the advice is as before").endsWith("each with its reference's settings.");
        // a grouping kept for fewer models speaks of that grouping, not of the references
        ParetoFront.Member fewer = member(8, 2, new double[] {2, 3, 4}, new double[] {-1, 0, 1}, new double[] {-1, 0, 1});
        ParetoReport.Recommendation forFewer = Recommendations.of(List.of(fewer), "none", 3, true, 3, 3, REFERENCES,
                TUNING);
        assertThat(forFewer.verdict()).endsWith("not for accuracy.").doesNotContain("trial 9").doesNotContain("+5.00");
        assertThat(forFewer.trainSeparately()).isFalse();
        assertThat(r.trainSeparately()).as("every task apart, no better than the references").isTrue();
    }

    @Test
    void theShortlistIsTheFewestModelsTheKneeAndTheBestGainAmongRacedMembers() {
        ParetoFront.Member one = member(1, 1, new double[] {1, 2, 3}, new double[] {0, 1, 2}, new double[] {0, 1, 2});
        ParetoFront.Member two = member(2, 2, new double[] {5, 6, 7}, new double[] {5, 6, 7}, new double[] {5, 6, 7});
        ParetoFront.Member three = member(3, 3, new double[] {5, 6, 7}, new double[] {6, 7, 8}, new double[] {6, 7, 8});
        ParetoFront.Member once = member(4, 2, new double[] {20}, new double[] {20}, new double[] {20});
        ParetoFront.Member loses = member(5, 1, new double[] {1, 2, 3}, new double[] {-9, -8, -7}, new double[] {0, 1, 2});
        assertThat(Recommendations.shortlist(List.of(one, two, three, once, loses), 3))
                .extracting(ParetoFront.Member::number).as("fewest, knee, best; no unraced or losing member")
                .containsExactly(1, 2, 3);
        assertThat(Recommendations.shortlist(List.of(once), 3)).extracting(ParetoFront.Member::number)
                .as("none raced: every acceptable member may be confirmed").containsExactly(4);
        assertThat(Recommendations.shortlist(List.of(loses), 3)).isEmpty();
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
        return new Trial(number, 1, number, 0, 0, null, null, new Candidate(groups, List.of(1.0, 1.0, 1.0), Weighting.EQUAL,
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

    /** Trials of tasks a and b (c alone, unmeasured): b's test deltas where it shares a model with a, then apart. */
    private static List<Trial> pair(double[] together, double[] apart) {
        List<Trial> trials = new ArrayList<>();
        for (double d : together) {
            trials.add(trial(trials.size(), List.of(0, 0, 1), 1, d));
        }
        for (double d : apart) {
            trials.add(trial(trials.size(), List.of(0, 1, 2), 1, d));
        }
        return trials;
    }

    private static ParetoReport.Finding only(List<ParetoReport.Finding> findings) {
        assertThat(findings).hasSize(1);
        ParetoReport.Finding f = findings.getFirst();
        assertThat(f.source()).isEqualTo("a");
        assertThat(f.victim()).isEqualTo("b");
        return f;
    }

    @Test
    void aClearLossOverManyTrialsIsSignificant() {
        // SciPy 1.17.1, ttest_ind(apart, together, equal_var=False): 95 % interval [5.773734, 7.726266],
        // df 3703/277 (also by hand in exact fractions).
        ParetoReport.Finding f = only(NegativeTransfer.of(List.of("a", "b", "c"),
                pair(new double[] {-6, -4, -5.5, -4.5, -5, -6.5, -3.5, -5}, new double[] {2, 1, 3, 1.5, 2.5, 0.5, 2, 1.5})));
        assertThat(f.withSource()).isEqualTo(-5.0);
        assertThat(f.withoutSource()).isEqualTo(1.75);
        assertThat(f.trialsWith()).isEqualTo(8);
        assertThat(f.trialsWithout()).isEqualTo(8);
        assertThat(f.difference()).isEqualTo(6.75);
        assertThat(f.low()).isCloseTo(5.773734018337375, within(1e-6));
        assertThat(f.high()).isCloseTo(7.726265981662625, within(1e-6));
        assertThat(f.degreesOfFreedom()).isCloseTo(3703.0 / 277, within(1e-9));
        assertThat(f.significant()).isTrue();
    }

    @Test
    void theNoisyTwoAgainstFourOfTheIssueIsNotSignificant() {
        // -8.4 % together over 2 trials, +3.7 % apart over 4: a gap of 12.1 points whose 95 % interval
        // [-5.70, 29.90] (SciPy 1.17.1, as in WelchDifferenceTest) holds zero.
        ParetoReport.Finding f = only(NegativeTransfer.of(List.of("a", "b", "c"),
                pair(new double[] {-12, -4.8}, new double[] {-2, 10, 0.8, 6})));
        assertThat(f.withSource()).isCloseTo(-8.4, within(1e-12));
        assertThat(f.withoutSource()).isCloseTo(3.7, within(1e-12));
        assertThat(f.trialsWith()).isEqualTo(2);
        assertThat(f.trialsWithout()).isEqualTo(4);
        assertThat(f.difference()).isCloseTo(12.1, within(1e-12));
        assertThat(f.low()).isCloseTo(-5.699566556427499, within(1e-6));
        assertThat(f.high()).isCloseTo(29.8995665564275, within(1e-6));
        assertThat(f.significant()).isFalse();
    }

    @Test
    void oneTrialOnASideIsListedWithoutAnInterval() {
        ParetoReport.Finding f = only(NegativeTransfer.of(List.of("a", "b", "c"),
                pair(new double[] {-9}, new double[] {1, 2, 3})));
        assertThat(f.trialsWith()).isEqualTo(1);
        assertThat(f.difference()).isEqualTo(11.0);
        assertThat(f.hasInterval()).isFalse();
        assertThat(f.low()).isNull();
        assertThat(f.high()).isNull();
        assertThat(f.degreesOfFreedom()).isNull();
        assertThat(f.significant()).isFalse();
    }

    @Test
    void significantFindingsComeFirstThenTheLargestGap() {
        // b: a clear, small loss next to a (significant); c: a large, noisy one next to a (not significant).
        List<Trial> trials = new ArrayList<>();
        double[][] together = {{-2, -2.2, -1.8, -2.1, -1.9, -2}, {-30, 10, -25, 5, -28, 8}};
        for (int i = 0; i < 6; i++) {
            trials.add(trial(trials.size(), List.of(0, 0, 0), 1, together[0][i], together[1][i]));
            trials.add(trial(trials.size(), List.of(0, 1, 2), 1, 0.1 * (i % 3), 1 + 0.2 * (i % 2)));
        }
        List<ParetoReport.Finding> findings = NegativeTransfer.of(List.of("a", "b", "c"), trials);
        assertThat(findings).extracting(ParetoReport.Finding::victim, ParetoReport.Finding::significant)
                .containsSubsequence(org.assertj.core.groups.Tuple.tuple("b", true),
                        org.assertj.core.groups.Tuple.tuple("c", false));
        assertThat(findings.getFirst().significant()).isTrue();
        assertThat(findings.getLast().difference()).as("the later finding has the larger gap")
                .isGreaterThan(findings.getFirst().difference());
    }
}
