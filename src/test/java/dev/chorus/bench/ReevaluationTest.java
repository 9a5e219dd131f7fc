package dev.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.dispatch.AssignmentRunner;
import dev.chorus.dispatch.TrialProtocol;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.mtl.data.Split;
import dev.chorus.spec.SpecParser;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.Replicates;
import dev.chorus.worker.TrialTraining;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The optimism benchmark's re-evaluation ({@link Reevaluation}): paired for real (a reference trained
 * apart, on the same rows and seed, gives a delta of exactly 0), on seeds and test rows no study run
 * uses, and on a study's own replicate exactly what the study's worker trains.
 */
class ReevaluationTest {

    /** 300 rows, 240 labelled per task: folds: auto cross-validates with k = 3. */
    private static final String YAML = """
            name: reevaluation
            seed: 7
            dataset:
              synthetic: { rows: 300, features: 6, noise: 0.2, labelled: 0.8, clusters: { a: [a1, a2] }, conflicting: [c1] }
            tasks:
              - { name: a1, type: binary, metric: auc }
              - { name: a2, type: regression, metric: rmse }
              - { name: c1, type: binary, metric: accuracy }
            search:
              trunk-width: [8]
              trunk-depth: { min: 1, max: 1 }
              epochs: { min: 2, max: 3 }
              batch-size: [64]
            baseline: { trunk-width: 8, trunk-depth: 1, learning-rate: 0.01, epochs: 3, batch-size: 64 }
            evaluation: { repeats: 3 }
            budget: { max-trials: 8 }
            """;
    private static final Path DIR = Path.of(".");
    private static final TrainSettings BASELINE = new TrainSettings(8, 1, 0.01, 3, 64);
    private static final TrainSettings OTHER = new TrainSettings(8, 1, 0.02, 2, 64);

    private static Candidate candidate(TrainSettings settings, Integer... groups) {
        return new Candidate(List.of(groups), Collections.nCopies(groups.length, 1.0), Weighting.EQUAL, settings);
    }

    private static Reevaluation reevaluation() {
        StudySpec spec = SpecParser.parse(YAML, DIR);
        return new Reevaluation(YAML, DIR, Split.seeded(300, spec.seed()));
    }

    @Test
    void aReferenceTrainedApartOnTheSameRowsAndSeedGivesExactlyZero() {
        Reevaluation re = reevaluation();
        Candidate alone = candidate(OTHER, 0, 1, 2);
        // each task's reference is another configuration, trained on its own, that has the task alone with
        // the same settings: only pairing (same rows, same seed) makes its model the same, bit for bit
        Map<String, Candidate> references = Map.of("a1", candidate(OTHER, 0, 1, 1), "a2", candidate(OTHER, 0, 1, 0),
                "c1", candidate(OTHER, 0, 0, 1));
        for (long seed : Reevaluation.freshSeeds(re.spec(), 2)) {
            Reevaluation.Run run = re.run(alone, references, re.freshRows(seed), seed);
            assertThat(run.trained()).as("the configuration and three references, each trained").isEqualTo(4);
            assertThat(run.testDeltaM()).isEqualTo(0.0);
            assertThat(run.deltaM()).isEqualTo(0.0);
            assertThat(run.tasks().values()).allSatisfy(t -> assertThat(t.test()).isEqualTo(t.referenceTest()));
        }
        // a configuration in which a1 and a2 share a model differs from their references; c1 does not
        long seed = Reevaluation.freshSeeds(re.spec(), 1).getFirst();
        Reevaluation.Run grouped = re.run(candidate(OTHER, 0, 0, 1), references, re.freshRows(seed), seed);
        assertThat(grouped.tasks().get("c1").testDelta()).as("c1 alone in both, same settings").isEqualTo(0.0);
        assertThat(grouped.tasks().get("a1").testDelta()).as("a1 shares a model here").isNotEqualTo(0.0);
        assertThat(grouped.testDeltaM()).isEqualTo(grouped.tasks().values().stream()
                .mapToDouble(Reevaluation.TaskRun::testDelta).average().orElseThrow());
    }

    @Test
    void theFixedBaselineAsReferenceIsPairedWithTheRun() {
        Reevaluation re = reevaluation();
        Candidate baseline = candidate(BASELINE, 0, 1, 2); // every task alone with the baseline's settings
        List<Reevaluation.Run> runs = Reevaluation.freshSeeds(re.spec(), 3).stream()
                .map(seed -> re.run(baseline, Map.of(), re.freshRows(seed), seed)).toList();
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.testDeltaM()).isEqualTo(0.0);
            assertThat(run.deltaM()).isEqualTo(0.0);
        });
        assertThat(Reevaluation.testDeltaM(runs).low()).isEqualTo(0.0);
        assertThat(Reevaluation.testDeltaM(runs).high()).isEqualTo(0.0);
        assertThatThrownBy(() -> re.run(baseline, Map.of("a1", candidate(BASELINE, 0, 0, 1)), re.freshRows(1), 1))
                .hasMessageContaining("does not train it alone");
    }

    @Test
    void theGainFromTuningIsEachReferenceAgainstThePairedFixedBaseline() {
        Reevaluation re = reevaluation();
        long seed = Reevaluation.freshSeeds(re.spec(), 1).getFirst();
        // a1's reference has the baseline's own settings alone: no gain from tuning, bit for bit; a2's others
        Map<String, Candidate> references = Map.of("a1", candidate(BASELINE, 0, 1, 1), "a2", candidate(OTHER, 0, 1, 0));
        Reevaluation.Run alone = re.run(null, references, re.freshRows(seed), seed);
        assertThat(alone.trained()).as("the two references only").isEqualTo(2);
        assertThat(alone.testDeltaM()).as("no configuration, no gain from sharing").isNaN();
        assertThat(alone.tasks().get("a1").tuningTestDelta()).isEqualTo(0.0);
        assertThat(alone.tasks().get("c1").tuningTestDelta()).as("the fixed baseline is c1's reference").isEqualTo(0.0);
        assertThat(alone.tasks().get("a2").tuningTestDelta()).isNotEqualTo(0.0);
        assertThat(alone.testTuningDeltaM()).isEqualTo(alone.tasks().get("a2").tuningTestDelta() / 3);
        Reevaluation.Run with = re.run(candidate(OTHER, 0, 0, 1), references, re.freshRows(seed), seed);
        assertThat(with.testTuningDeltaM()).as("the same references on the same rows and seed, whatever else trains")
                .isEqualTo(alone.testTuningDeltaM());
        assertThat(with.testDeltaM()).isFinite();
        assertThatThrownBy(() -> re.run(null, Map.of(), re.freshRows(seed), seed)).hasMessageContaining("nothing to train");
    }

    @Test
    void freshSeedsAndTestRowsAreNoneOfTheStudys() {
        Reevaluation re = reevaluation();
        StudySpec spec = re.spec();
        assertThat(re.folds()).isEqualTo(3);
        List<Long> fresh = Reevaluation.freshSeeds(spec, 5);
        assertThat(new HashSet<>(fresh)).hasSize(5);
        assertThat(fresh).doesNotContainAnyElementsOf(Reevaluation.studySeeds(spec)).doesNotContain(spec.seed());
        assertThat(Reevaluation.studySeeds(spec)).contains(spec.seed(), Replicates.seed(spec, 2));
        Set<List<Integer>> studyTests = new HashSet<>();
        for (int r = 0; r < 3; r++) {
            studyTests.add(sorted(re.studyRows(r).test()));
        }
        Set<List<Integer>> freshTests = new HashSet<>();
        for (long seed : fresh) {
            Split rows = re.freshRows(seed);
            assertThat(rows.test()).as("fold 0 of a 3-fold partition of 300 rows").hasSize(100);
            assertThat(rows.train()).doesNotContain(rows.test());
            assertThat(rows.validation()).doesNotContain(rows.test());
            assertThat(studyTests).doesNotContain(sorted(rows.test()));
            freshTests.add(sorted(rows.test()));
        }
        assertThat(freshTests).as("each seed its own test rows").hasSize(5);
    }

    @Test
    void aFreshSeedCrossValidatesOnItsOwnPartition() {
        Reevaluation re = reevaluation();
        long seed = Reevaluation.freshSeeds(re.spec(), 1).getFirst();
        Set<Integer> tested = new HashSet<>();
        for (int fold = 0; fold < re.folds(); fold++) {
            Split rows = re.freshRows(seed, fold);
            for (int row : rows.test()) {
                assertThat(tested.add(row)).as("row %d tested by two folds", row).isTrue();
            }
            assertThat(re.freshTrainingSeed(seed, fold)).as("each fold its own training seed")
                    .isEqualTo(fold == 0 ? seed : seed * 1_000_003L + fold);
        }
        assertThat(tested).as("the folds test every row once").hasSize(300);
        assertThat(sorted(re.freshRows(seed, 0).test())).isEqualTo(sorted(re.freshRows(seed).test()));

        Candidate grouped = candidate(OTHER, 0, 0, 1);
        Reevaluation.Run cv = re.fresh(grouped, Map.of(), seed);
        List<Reevaluation.Run> folds = java.util.stream.IntStream.range(0, re.folds()).mapToObj(fold ->
                re.run(grouped, Map.of(), re.freshRows(seed, fold), re.freshTrainingSeed(seed, fold))).toList();
        assertThat(cv.seed()).isEqualTo(seed);
        assertThat(cv.trained()).isEqualTo(3);
        assertThat(cv.testDeltaM()).isCloseTo(folds.stream().mapToDouble(Reevaluation.Run::testDeltaM).average()
                .orElseThrow(), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(cv.tasks().get("a1").test()).isCloseTo(folds.stream().mapToDouble(r -> r.tasks().get("a1").test())
                .average().orElseThrow(), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(folds.stream().map(Reevaluation.Run::testDeltaM).distinct()).as("the folds differ").hasSize(3);
    }

    @Test
    void onAStudysOwnReplicateItTrainsWhatTheStudysWorkerTrains() throws Exception {
        Reevaluation re = reevaluation();
        StudySpec spec = re.spec();
        Candidate grouped = candidate(OTHER, 0, 0, 1);
        int replicate = 1; // a repeat: its own seed, fold 1 and a train/validation draw
        Reevaluation.Run run = re.run(grouped, Map.of(), re.studyRows(replicate), Replicates.seed(spec, replicate));

        // the worker as a study runs it: the file as written (folds: auto) and replicate 0's rows as the
        // coordinator serves them (fold 0), from which the worker derives replicate 1's
        Split replicate0 = re.studyRows(0);
        String hash = dev.chorus.mtl.data.Datasets.load(spec.dataset(), spec.tasks(), spec.seed()).contentHash();
        Map<String, TrialProtocol.NewBaseline> baselines = new HashMap<>();
        AssignmentRunner.Outcome outcome = new TrialTraining().run(new TrialProtocol.Assignment(1, UUID.randomUUID(),
                null, 10, 1, 0, Replicates.seed(spec, replicate), replicate, grouped, null, null, YAML, DIR.toString(),
                hash), new Reevaluation.Coordinator(replicate0, hash, baselines));
        TrialProtocol.Completion done = ((AssignmentRunner.Outcome.Completed) outcome).completion();
        for (TrialProtocol.Result r : done.results()) {
            Reevaluation.TaskRun mine = run.tasks().get(r.task());
            assertThat(mine.test()).as(r.task()).isEqualTo(r.test());
            assertThat(mine.validation()).as(r.task()).isEqualTo(r.validation());
            TrialProtocol.NewBaseline b = done.baselines().stream().filter(x -> x.hash().equals(r.baselineHash()))
                    .findFirst().orElseThrow();
            assertThat(mine.referenceTest()).as("the same paired baseline").isEqualTo(b.test());
        }
    }

    @Test
    void editsAStudyFile() {
        StudySpec off = SpecParser.parse(Reevaluation.set(YAML, "off", Tag.STR, "evaluation", "folds"), DIR);
        assertThat(off.evaluation().folds()).isEqualTo(StudySpec.Evaluation.NO_FOLDS);
        assertThat(off.evaluation().repeats()).isEqualTo(3);
        String plain = YAML.replace("evaluation: { repeats: 3 }\n", "");
        assertThat(SpecParser.parse(Reevaluation.set(plain, "off", Tag.STR, "evaluation", "folds"), DIR).evaluation()
                .folds()).as("a missing section is added").isEqualTo(StudySpec.Evaluation.NO_FOLDS);
        StudySpec edited = SpecParser.parse(Reevaluation.set(Reevaluation.set(YAML, "3", Tag.INT, "seed"), "24",
                Tag.INT, "budget", "max-trials"), DIR);
        assertThat(edited.seed()).isEqualTo(3);
        assertThat(edited.budget().maxTrials()).isEqualTo(24);
        assertThat(edited.tasks()).isEqualTo(SpecParser.parse(YAML, DIR).tasks());
    }

    private static List<Integer> sorted(int[] rows) {
        return java.util.Arrays.stream(rows).sorted().boxed().toList();
    }
}
