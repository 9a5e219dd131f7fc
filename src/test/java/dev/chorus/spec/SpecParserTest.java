package dev.chorus.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.mtl.data.CsvSpec;
import dev.chorus.mtl.data.SyntheticSpec;
import dev.chorus.search.SearchSpace.IntRange;
import dev.chorus.search.SearchSpace.RealRange;
import dev.chorus.spec.SpecException.Problem;
import dev.chorus.spec.StudySpec.SamplerKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecParserTest {

    private static final Path SEARCH_SPACES = Path.of("search-spaces");

    /** A small valid file; tests change one line of it and look for the problem on that line. */
    private static final String MINIMAL = """
            name: small
            dataset:
              synthetic:
                rows: 100
                features: 4
                clusters:
                  a: [t1, t2]
                conflicting: [t3]
            tasks:
              - name: t1
                type: binary
              - name: t2
                type: regression
              - name: t3
                type: multiclass
            budget:
              max-trials: 5
            """;

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- valid files

    @Test
    void parsesTheDemo() throws IOException {
        // the demo's numbers are tuned to the generator: check its shape, not its values
        StudySpec spec = SpecParser.parse(Files.readString(SEARCH_SPACES.resolve("demo.yaml")), SEARCH_SPACES);

        assertThat(spec.name()).isEqualTo("demo");
        assertThat(spec.tasks()).hasSizeGreaterThanOrEqualTo(4).extracting(Task::type)
                .contains(TaskType.BINARY, TaskType.MULTICLASS, TaskType.REGRESSION);
        SyntheticSpec data = (SyntheticSpec) spec.dataset();
        List<String> named = new java.util.ArrayList<>(data.conflicting());
        data.clusters().values().forEach(named::addAll);
        assertThat(named).containsExactlyInAnyOrderElementsOf(spec.tasks().stream().map(Task::name).toList());
        assertThat(data.clusters()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(data.conflicting()).isNotEmpty();
        assertThat(spec.modelsObjective()).isTrue();
    }

    @Test
    void parsesTheCsvExampleAndResolvesItsPath() throws IOException {
        StudySpec spec = SpecParser.parse(Files.readString(SEARCH_SPACES.resolve("example-csv.yaml")), SEARCH_SPACES);

        CsvSpec csv = (CsvSpec) spec.dataset();
        assertThat(csv.path()).isAbsolute().isRegularFile()
                .isEqualTo(Path.of("datasets", "customers.csv").toAbsolutePath().normalize());
        assertThat(csv.features()).containsExactly("age", "income", "spend", "visits", "tenure", "web_share");
        assertThat(spec.tasks()).extracting(Task::metric)
                .containsExactly(Metric.AUC, Metric.MACRO_F1, Metric.F1, Metric.MAE, Metric.RMSE);
        assertThat(spec.sampler()).isEqualTo(SamplerKind.RANDOM);
        // every task of the example is a column of the file
        assertThat(Files.readAllLines(csv.path()).getFirst().split(","))
                .contains(spec.tasks().stream().map(Task::name).toArray(String[]::new));
    }

    @Test
    void appliesDefaults() {
        StudySpec spec = SpecParser.parse(MINIMAL, dir);

        assertThat(spec.description()).isEmpty();
        assertThat(spec.seed()).isZero();
        assertThat(spec.tasks()).extracting(Task::metric).containsExactly(Metric.AUC, Metric.RMSE, Metric.ACCURACY);
        SyntheticSpec data = (SyntheticSpec) spec.dataset();
        assertThat(data.noise()).isEqualTo(0.3);
        assertThat(data.labelled()).isEqualTo(1.0);
        assertThat(spec.modelsObjective()).isFalse();
        assertThat(spec.sampler()).isEqualTo(SamplerKind.NSGA2);
        assertThat(spec.population()).isEqualTo(8);
        assertThat(spec.space().maxGroups()).isEqualTo(3);
        assertThat(spec.space().weight()).isEqualTo(new RealRange(0.2, 5, true));
        assertThat(spec.space().weightings()).containsExactly(Weighting.EQUAL, Weighting.FIXED);
        assertThat(spec.space().trunkWidths()).containsExactly(32, 64);
        assertThat(spec.space().trunkDepth()).isEqualTo(new IntRange(1, 2));
        assertThat(spec.space().learningRate()).isEqualTo(new RealRange(0.001, 0.01, true));
        assertThat(spec.space().epochs()).isEqualTo(new IntRange(10, 20));
        assertThat(spec.space().batchSizes()).containsExactly(64);
        assertThat(spec.baseline()).isEqualTo(new TrainSettings(32, 2, Math.sqrt(0.001 * 0.01), 20, 64));
        assertThat(spec.budget().maxWallClock()).isEqualTo(Duration.ofMinutes(1440));
    }

    @Test
    void baselineDefaultsFollowTheSearchSpace() {
        String yaml = MINIMAL + """
                search:
                  trunk-width: [16, 8]
                  trunk-depth: { min: 1, max: 3 }
                  learning-rate: { min: 0.01, max: 0.04, log: false }
                  epochs: { min: 2, max: 7 }
                  batch-size: [128, 32]
                baseline:
                  epochs: 4
                """;
        StudySpec spec = SpecParser.parse(yaml, dir);

        assertThat(spec.space().learningRate()).isEqualTo(new RealRange(0.01, 0.04, false));
        assertThat(spec.baseline()).isEqualTo(new TrainSettings(16, 3, 0.02, 4, 128));
    }

    @Test
    void readsYamlNullAsLeftOut() {
        StudySpec spec = SpecParser.parse(MINIMAL.replace("name: small", "name: small\ndescription:\nseed:"), dir);

        assertThat(spec.description()).isEmpty();
        assertThat(spec.seed()).isZero();
    }

    // ---------------------------------------------------------------- one problem of each kind

    @Test
    void reportsAMissingRequiredField() {
        assertProblem(MINIMAL.replace("name: small\n", ""), 1, "name",
                "required but missing; allowed: [a-z0-9_-]{1,64}");
        String noTrials = MINIMAL.replace("max-trials: 5", "max-minutes: 5");
        assertProblem(noTrials, lineOf(noTrials, "budget:"), "budget.max-trials",
                "required but missing; allowed: 1..1000000");
        String noType = MINIMAL.replace("    type: regression\n", "");
        assertProblem(noType, lineOf(noType, "- name: t2"), "tasks[1].type",
                "required but missing; allowed: binary, multiclass, regression");
    }

    @Test
    void reportsAnUnknownKey() {
        String yaml = MINIMAL + "search:\n  epoch: 3\n";
        assertProblem(yaml, lineOf(yaml, "epoch: 3"), "search.epoch", "unknown key 'epoch'; allowed: sampler, "
                + "population, max-groups, weights, weighting, trunk-width, trunk-depth, learning-rate, epochs, batch-size, "
                + "architecture, head-depth, experts, schedule, concurrency, trial-timeout-minutes, pruner, "
                + "warm-start, affinity-epochs");
    }

    @Test
    void readsTheWarmStart() {
        Path dir = Path.of(".");
        assertThat(SpecParser.parse(MINIMAL, dir).warmStart()).isEqualTo(StudySpec.WarmStart.NONE);
        StudySpec on = SpecParser.parse(MINIMAL + "search:\n  warm-start: affinity\n  affinity-epochs: 4\n", dir);
        assertThat(on.warmStart()).isEqualTo(new StudySpec.WarmStart(true, 4));
        assertThat(SpecParser.parse(MINIMAL + "search:\n  warm-start: affinity\n", dir).warmStart().epochs())
                .isEqualTo(StudySpec.WarmStart.DEFAULT_EPOCHS);
        assertThat(SpecParser.parse(MINIMAL + "search:\n  warm-start: none\n", dir).warmStart().affinity()).isFalse();
        String bad = MINIMAL + "search:\n  warm-start: tag\n";
        assertProblem(bad, lineOf(bad, "warm-start:"), "search.warm-start",
                "unknown warm start 'tag'; allowed: none, affinity");
    }

    @Test
    void readsTheEvaluation() {
        Path dir = Path.of(".");
        assertThat(SpecParser.parse(MINIMAL, dir).evaluation().repeats()).as("default")
                .isEqualTo(StudySpec.Evaluation.DEFAULT_REPEATS);
        assertThat(SpecParser.parse(MINIMAL + "evaluation:\n  repeats: 1\n", dir).evaluation().repeats()).isEqualTo(1);
        String bad = MINIMAL + "evaluation:\n  repeats: 0\n";
        assertThatThrownBy(() -> SpecParser.parse(bad, dir)).hasMessageContaining("evaluation.repeats")
                .hasMessageContaining("1..20");
        String unknown = MINIMAL + "evaluation:\n  splits: 5\n";
        assertThatThrownBy(() -> SpecParser.parse(unknown, dir)).hasMessageContaining("evaluation.splits")
                .hasMessageContaining("allowed: repeats, folds");
    }

    @Test
    void readsTheFolds() {
        assertThat(SpecParser.parse(MINIMAL, dir).evaluation()).as("default")
                .isEqualTo(new StudySpec.Evaluation(StudySpec.Evaluation.DEFAULT_REPEATS, StudySpec.Evaluation.AUTO_FOLDS));
        assertThat(SpecParser.parse(MINIMAL + "evaluation:\n  folds: auto\n", dir).evaluation().folds())
                .isEqualTo(StudySpec.Evaluation.AUTO_FOLDS);
        assertThat(SpecParser.parse(MINIMAL + "evaluation:\n  folds: off\n", dir).evaluation())
                .isEqualTo(new StudySpec.Evaluation(StudySpec.Evaluation.DEFAULT_REPEATS, StudySpec.Evaluation.NO_FOLDS));
        assertThat(SpecParser.parse(MINIMAL + "evaluation:\n  folds: 5\n", dir).evaluation())
                .as("k folds, repeats absent: k runs").isEqualTo(new StudySpec.Evaluation(5, 5));
        assertThat(SpecParser.parse(MINIMAL + "evaluation:\n  repeats: 4\n  folds: 4\n", dir).evaluation())
                .isEqualTo(new StudySpec.Evaluation(4, 4));
    }

    @Test
    void readsTheStabilityCheckOnByDefault() {
        assertThat(SpecParser.parse(MINIMAL, dir).evaluation().stability()).isTrue();
        assertThat(SpecParser.parse(MINIMAL + "evaluation:\n  stability: false\n", dir).evaluation())
                .isEqualTo(new StudySpec.Evaluation(StudySpec.Evaluation.DEFAULT_REPEATS, StudySpec.Evaluation.AUTO_FOLDS,
                        false));
        String bad = MINIMAL + "evaluation:\n  stability: sometimes\n";
        assertThatThrownBy(() -> SpecParser.parse(bad, dir)).hasMessageContaining("evaluation.stability")
                .hasMessageContaining("true or false");
    }

    @Test
    void readsTheConfirmationOnByDefaultWhenRunsRepeat() {
        assertThat(SpecParser.parse(MINIMAL, dir).evaluation().confirm()).as("repeats 3: 10 runs")
                .isEqualTo(StudySpec.Evaluation.DEFAULT_CONFIRM);
        assertThat(SpecParser.parse(MINIMAL + "evaluation:\n  repeats: 1\n", dir).evaluation().confirms())
                .as("a study whose configurations run once asks for no interval").isFalse();
        assertThat(SpecParser.parse(MINIMAL + "evaluation:\n  repeats: 12\n", dir).evaluation().confirm()).isEqualTo(12);
        assertThat(SpecParser.parse(MINIMAL + "evaluation:\n  confirm: off\n", dir).evaluation().confirm())
                .isEqualTo(StudySpec.Evaluation.NO_CONFIRM);
        assertThat(SpecParser.parse(MINIMAL + "evaluation:\n  confirm: 6\n", dir).evaluation())
                .isEqualTo(new StudySpec.Evaluation(3, StudySpec.Evaluation.AUTO_FOLDS, true, 6));
        assertThat(new StudySpec.Evaluation(3, 0, true, 6).confirmationAllowance(4))
                .as("(6 - 3) x (3 + 4) + 6 x 3 separate twins").isEqualTo(39);
        assertThat(SpecParser.parse(MINIMAL, dir).evaluation().tunedTwins()).as("off by default").isFalse();
        StudySpec.Evaluation tuned = SpecParser.parse(MINIMAL + "evaluation:\n  confirm: 6\n  tuned-twins: true\n", dir)
                .evaluation();
        assertThat(tuned).isEqualTo(new StudySpec.Evaluation(3, StudySpec.Evaluation.AUTO_FOLDS, true, 6, true));
        assertThat(tuned.confirmationAllowance(4)).as("and 6 x 3 tuned twins").isEqualTo(39 + 18);
        String few = MINIMAL + "evaluation:\n  repeats: 4\n  confirm: 2\n";
        assertProblem(few, lineOf(few, "confirm:"), "evaluation.confirm",
                "confirm is the runs in all of the answer's configurations, so it must be off or at least "
                        + "evaluation.repeats (4), was 2");
        String bad = MINIMAL + "evaluation:\n  confirm: lots\n";
        assertProblem(bad, lineOf(bad, "confirm:"), "evaluation.confirm",
                "'lots' is not allowed; allowed: off, 1..20 (at least evaluation.repeats)");
    }

    @Test
    void refusesBadFoldsNamingTheFieldAndTheAllowedValues() {
        for (String k : List.of("1", "21")) {
            String yaml = MINIMAL + "evaluation:\n  folds: " + k + "\n";
            assertProblem(yaml, lineOf(yaml, "folds:"), "evaluation.folds",
                    k + " is out of range; allowed: auto, off, 2..20");
        }
        String unknown = MINIMAL + "evaluation:\n  folds: always\n";
        assertProblem(unknown, lineOf(unknown, "folds:"), "evaluation.folds",
                "unknown value 'always'; allowed: auto, off, 2..20");
        String conflict = MINIMAL + "evaluation:\n  repeats: 3\n  folds: 5\n";
        assertProblem(conflict, lineOf(conflict, "folds:"), "evaluation.folds", "with 5 folds a configuration runs "
                + "once per fold, so evaluation.repeats must be 5 or absent (it is 3)");
    }

    @Test
    void reportsADuplicatedKey() {
        String yaml = MINIMAL.replace("features: 4", "features: 4\n    rows: 200");
        assertProblem(yaml, lineOf(yaml, "rows: 200"), "dataset.synthetic.rows",
                "duplicate key 'rows' (first at line 4)");
    }

    @Test
    void reportsAWrongType() {
        String yaml = MINIMAL + "search:\n  population: eight\n  trunk-width: 32\n";
        assertProblem(yaml, lineOf(yaml, "population:"), "search.population",
                "expected a whole number, got 'eight'; allowed: >= 2");
        assertProblem(yaml, lineOf(yaml, "trunk-width:"), "search.trunk-width",
                "expected a list, got '32'; allowed: positive whole numbers, e.g. [32, 64]");
        String notAMapping = MINIMAL.replace("budget:\n  max-trials: 5", "budget: 5");
        assertProblem(notAMapping, lineOf(notAMapping, "budget:"), "budget",
                "expected a mapping, got '5'; allowed: keys max-trials, max-minutes, max-worker-hours");
        String quoted = MINIMAL.replace("rows: 100", "rows: '100'");
        assertProblem(quoted, lineOf(quoted, "rows:"), "dataset.synthetic.rows",
                "expected a whole number, got '100'; allowed: >= 50");
    }

    @Test
    void reportsAnOutOfRangeNumber() {
        String yaml = MINIMAL.replace("rows: 100", "rows: 10").replace("features: 4", "features: 4\n    labelled: 0");
        assertProblem(yaml, lineOf(yaml, "rows:"), "dataset.synthetic.rows", "10 is out of range; allowed: >= 50");
        assertProblem(yaml, lineOf(yaml, "labelled:"), "dataset.synthetic.labelled",
                "0 is out of range; allowed: (0, 1]");
        String trials = MINIMAL.replace("max-trials: 5", "max-trials: 1000001");
        assertProblem(trials, lineOf(trials, "max-trials"), "budget.max-trials",
                "1000001 is out of range; allowed: 1..1000000");
        String groups = MINIMAL + "search:\n  max-groups: 4\n";
        assertProblem(groups, lineOf(groups, "max-groups"), "search.max-groups", "4 is out of range; allowed: 1..3");
    }

    @Test
    void reportsABadRange() {
        String yaml = MINIMAL + """
                search:
                  epochs: { min: 20, max: 10 }
                  weights: { min: 0, max: 3 }
                  learning-rate: { min: 0.01 }
                """;
        assertProblem(yaml, lineOf(yaml, "epochs:"), "search.epochs", "min 20 is above max 10; allowed: min <= max");
        assertProblem(yaml, lineOf(yaml, "weights:"), "search.weights",
                "a log-scale range needs min > 0, was 0; allowed: min > 0, or log: false");
        assertProblem(yaml, lineOf(yaml, "learning-rate:"), "search.learning-rate.max",
                "required but missing; allowed: (0, 1]");
    }

    @Test
    void reportsABadEnumValueWithTheAllowedValues() {
        String yaml = MINIMAL.replace("type: binary", "type: binray")
                + "search:\n  sampler: grid\n  weighting: [equal, magic, equal]\n";
        assertProblem(yaml, lineOf(yaml, "binray"), "tasks[0].type",
                "unknown task type 'binray'; allowed: binary, multiclass, regression");
        assertProblem(yaml, lineOf(yaml, "sampler:"), "search.sampler", "unknown sampler 'grid'; allowed: nsga2, random");
        assertProblem(yaml, lineOf(yaml, "weighting:"), "search.weighting[1]",
                "unknown weighting 'magic'; allowed: equal, fixed, uncertainty, dwa, rlw, gradnorm, pcgrad, mgda-ub, "
                        + "cagrad, famo, imtl, aligned-mtl, nash-mtl");
        assertProblem(yaml, lineOf(yaml, "weighting:"), "search.weighting[2]",
                "duplicate value 'equal'; allowed: each value once");
    }

    @Test
    void reportsAMetricThatDoesNotApplyToTheTaskType() {
        String yaml = MINIMAL.replace("type: binary", "type: binary\n    metric: rmse");
        assertProblem(yaml, lineOf(yaml, "metric: rmse"), "tasks[0].metric",
                "metric 'rmse' does not apply to a binary task; allowed: accuracy, auc, f1, log_loss");
    }

    @Test
    void disjointGivesEachSourceItsOwnFeaturesAndNeedsEnoughOfThem() throws IOException {
        String yaml = MINIMAL.replace("    conflicting: [t3]\n", "    conflicting: [t3]\n    disjoint: true\n");
        assertThat(((SyntheticSpec) SpecParser.parse(yaml, dir).dataset()).disjoint()).isTrue();
        assertThat(((SyntheticSpec) SpecParser.parse(MINIMAL, dir).dataset()).disjoint()).isFalse();
        String few = yaml.replace("features: 4", "features: 2").replace("a: [t1, t2]", "a: [t1]\n      b: [t2]");
        assertProblem(few, lineOf(few, "features:"), "dataset.synthetic.features",
                "disjoint: true gives each of the 3 clusters and conflicting tasks its own features, but there are"
                        + " only 2; allowed: features at least 3");
    }

    @Test
    void readsTheLatentWidthWithinItsRange() throws IOException {
        String yaml = MINIMAL.replace("    conflicting: [t3]\n", "    conflicting: [t3]\n    latent: 8\n");
        assertThat(((SyntheticSpec) SpecParser.parse(yaml, dir).dataset()).latent()).isEqualTo(8);
        assertThat(((SyntheticSpec) SpecParser.parse(MINIMAL, dir).dataset()).latent())
                .isEqualTo(SyntheticSpec.DEFAULT_LATENT);
        String wide = yaml.replace("latent: 8", "latent: 65");
        assertProblem(wide, lineOf(wide, "latent:"), "dataset.synthetic.latent", "65 is out of range; allowed: 1..64");
    }

    @Test
    void reportsATaskMissingFromTheClusters() {
        String yaml = MINIMAL.replace("    conflicting: [t3]\n", "");
        assertProblem(yaml, lineOf(yaml, "clusters:"), "dataset.synthetic.clusters",
                "task 't3' is in no cluster and not in conflicting; allowed: every task in exactly one cluster"
                        + " or in conflicting");
    }

    @Test
    void reportsClusterMembersThatAreNotTasksOrArePlacedTwice() {
        String yaml = MINIMAL.replace("a: [t1, t2]", "a: [t1, t2]\n      b: [t9, t3]");
        assertProblem(yaml, lineOf(yaml, "b: [t9"), "dataset.synthetic.clusters.b[0]",
                "'t9' is not a task; allowed: t1, t2, t3");
        assertProblem(yaml, lineOf(yaml, "conflicting:"), "dataset.synthetic.conflicting[0]",
                "task 't3' is already placed at line " + lineOf(yaml, "b: [t9")
                        + "; allowed: every task in exactly one cluster or in conflicting");
    }

    @Test
    void reportsADuplicateTask() {
        String yaml = MINIMAL.replace("name: t3", "name: t1");
        assertProblem(yaml, lineOf(yaml, "- name: t1", 2), "tasks[2].name",
                "duplicate task name 't1' (first at line " + lineOf(yaml, "- name: t1") + "); allowed: a unique task name");
    }

    @Test
    void reportsTooFewTasks() {
        String yaml = """
                name: one
                dataset: { synthetic: { rows: 100, features: 4, conflicting: [t1] } }
                tasks:
                  - { name: t1, type: binary }
                budget: { max-trials: 3 }
                """;
        assertProblem(yaml, 3, "tasks", "1 tasks given; allowed: 2..16 tasks");
    }

    @Test
    void reportsMalformedYamlWithItsLine() {
        String yaml = MINIMAL.replace("    features: 4", "    features: [4, 5");
        SpecException e = catchThrowableOfType(SpecException.class, () -> SpecParser.parse(yaml, dir));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("(document)");
            assertThat(p.message()).startsWith("malformed YAML: ");
            assertThat(p.line()).isBetween(lineOf(yaml, "features:"), lineOf(yaml, "clusters:"));
        });

        String badIndent = "name: x\n  seed: 1\nbudget: {max-trials: 1}\n";
        assertThatThrownBy(() -> SpecParser.parse(badIndent, dir)).isInstanceOf(SpecException.class)
                .hasMessageStartingWith("line 2: (document): malformed YAML: mapping values are not allowed here");
    }

    @Test
    void reportsAnEmptyFileOrOneThatIsNotAMapping() {
        assertThatThrownBy(() -> SpecParser.parse("", dir)).hasMessageStartingWith(
                "line 1: (document): the file is empty; allowed: a mapping with keys name, description");
        assertThatThrownBy(() -> SpecParser.parse("- a\n- b\n", dir)).hasMessageStartingWith(
                "line 1: (document): expected a mapping, got a list; allowed: keys name, description");
    }

    @Test
    void reportsAMissingCsvFileWithTheResolvedPath() {
        String yaml = """
                name: csv
                dataset:
                  csv:
                    path: nowhere/rows.csv
                tasks: [{ name: a, type: binary }, { name: b, type: regression }]
                budget: { max-trials: 3 }
                """;
        Path resolved = dir.resolve("nowhere/rows.csv").toAbsolutePath().normalize();
        assertProblem(yaml, 4, "dataset.csv.path", "file not found: " + resolved
                + "; allowed: a CSV file, relative to " + dir.toAbsolutePath().normalize());
    }

    @Test
    void readsACsvDataSetWhoseFileExists() throws IOException {
        Files.writeString(dir.resolve("rows.csv"), "x,a,b\n1,0,2.5\n");
        String yaml = """
                name: csv
                dataset: { csv: { path: rows.csv } }
                tasks: [{ name: a, type: binary }, { name: b, type: regression }]
                budget: { max-trials: 3 }
                """;
        CsvSpec csv = (CsvSpec) SpecParser.parse(yaml, dir).dataset();

        assertThat(csv.path()).isEqualTo(dir.resolve("rows.csv").toAbsolutePath().normalize());
        assertThat(csv.features()).isEmpty();
    }

    @Test
    void readsTheCsvDelimiterAndDecimalCommaAndRefusesOthersNamingTheField() throws IOException {
        Files.writeString(dir.resolve("eu.csv"), "x;a;b\n1,5;0;2,5\n");
        String yaml = """
                name: csv
                dataset: { csv: { path: eu.csv, delimiter: ';', decimal: comma } }
                tasks: [{ name: a, type: binary }, { name: b, type: regression }]
                budget: { max-trials: 3 }
                """;
        CsvSpec csv = (CsvSpec) SpecParser.parse(yaml, dir).dataset();
        assertThat(csv.delimiter()).isEqualTo(';');
        assertThat(csv.decimalComma()).isTrue();
        assertThat(((CsvSpec) SpecParser.parse(yaml.replace("';'", "tab").replace("eu.csv", "eu.csv"), dir)
                .dataset()).delimiter()).isEqualTo('\t');
        String pipe = yaml.replace("';'", "'|'");
        assertProblem(pipe, lineOf(pipe, "dataset:"), "dataset.csv.delimiter",
                "unknown delimiter '|'; allowed: ',' (default), ';' or tab");
        String dot = yaml.replace("comma", "dot");
        assertProblem(dot, lineOf(dot, "dataset:"), "dataset.csv.decimal",
                "unknown decimal 'dot'; allowed: point (default) or comma");
    }

    @Test
    void reportsADataSetWithNoSourceOrTwo() {
        String both = MINIMAL.replace("dataset:\n", "dataset:\n  csv: { path: x.csv }\n");
        assertProblem(both, lineOf(both, "dataset:"), "dataset",
                "names more than one source; allowed: exactly one of synthetic, csv, images");
        String none = MINIMAL.replace("  synthetic:", "  generated:");
        assertProblem(none, lineOf(none, "dataset:"), "dataset", "names no source; allowed: exactly one of synthetic, csv, images");
    }

    @Test
    void reportsASourceThatIsNotAMappingOnce() {
        String yaml = MINIMAL.replaceAll("(?s)  synthetic:.*conflicting: \\[t3\\]\n", "  synthetic: yes\n");
        SpecException e = catchThrowableOfType(SpecException.class, () -> SpecParser.parse(yaml, dir));
        assertThat(e.problems()).containsExactly(new Problem("dataset.synthetic", 3,
                "expected a mapping, got 'yes'; allowed: keys rows, features, noise, labelled, clusters, conflicting,"
                        + " disjoint, latent"));
    }

    @Test
    void reportsAnInvalidName() {
        String yaml = MINIMAL.replace("name: small", "name: Small Study");
        assertProblem(yaml, 1, "name", "'Small Study' is not a valid name; allowed: [a-z0-9_-]{1,64}");
    }

    // ---------------------------------------------------------------- many problems

    @Test
    void reportsEveryProblemInFileOrder() {
        String yaml = """
                name: many
                seed: -1
                dataset:
                  synthetic:
                    rows: 100
                    features: 1
                    clusters: { a: [t1] }
                tasks:
                  - name: t1
                    type: binary
                    metric: r2
                  - name: t2
                    type: text
                search:
                  epoch: 3
                """;
        SpecException e = catchThrowableOfType(SpecException.class, () -> SpecParser.parse(yaml, dir));

        assertThat(e.problems()).extracting(Problem::line, Problem::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, "budget"),
                org.assertj.core.groups.Tuple.tuple(2, "seed"),
                org.assertj.core.groups.Tuple.tuple(6, "dataset.synthetic.features"),
                org.assertj.core.groups.Tuple.tuple(7, "dataset.synthetic.clusters"),
                org.assertj.core.groups.Tuple.tuple(11, "tasks[0].metric"),
                org.assertj.core.groups.Tuple.tuple(13, "tasks[1].type"),
                org.assertj.core.groups.Tuple.tuple(15, "search.epoch"));
        assertThat(e.getMessage().lines()).hasSize(7).first()
                .isEqualTo("line 1: budget: required but missing; allowed: a mapping with max-trials and optionally max-minutes");
        assertThat(e.getMessage().lines().toList().get(3)).isEqualTo("line 7: dataset.synthetic.clusters: task 't2'"
                + " is in no cluster and not in conflicting; allowed: every task in exactly one cluster or in conflicting");
    }

    // ---------------------------------------------------------------- helpers

    /** Asserts that parsing fails with, among others, exactly this problem. */
    private void assertProblem(String yaml, int line, String path, String message) {
        SpecException e = catchThrowableOfType(SpecException.class, () -> SpecParser.parse(yaml, dir));
        assertThat(e).as("expected a SpecException").isNotNull();
        assertThat(e.problems()).contains(new Problem(path, line, message));
        assertThat(e.getMessage()).contains("line " + line + ": " + path + ": " + message);
    }

    private static int lineOf(String yaml, String text) {
        return lineOf(yaml, text, 1);
    }

    /** The 1-based line of the n-th line containing {@code text}. */
    private static int lineOf(String yaml, String text, int nth) {
        List<String> lines = yaml.lines().toList();
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text) && ++seen == nth) {
                return i + 1;
            }
        }
        throw new AssertionError("no line " + nth + " with '" + text + "'");
    }
}
