package dev.chorus.bench;

import dev.chorus.dispatch.AssignmentRunner;
import dev.chorus.dispatch.TrialProtocol;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Datasets;
import dev.chorus.mtl.data.Split;
import dev.chorus.spec.SpecParser;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.Replicates;
import dev.chorus.worker.TrialTraining;
import dev.chorus.trial.DeltaM;
import dev.chorus.trial.Interval;
import dev.chorus.trial.References;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.LongStream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Re-runs a study's configuration and each task's tuned reference on rows and a seed of our choosing,
 * paired, and measures the configuration's gain from sharing there: what the optimism benchmark compares
 * a study's reported gain with.
 *
 * <p>Training goes through the worker's own code, {@link TrialTraining}, as a study's trials do (the same
 * models, sampling, convolutional trunk, size check and paired fixed baselines), served by a stand-in
 * coordinator that hands it the chosen rows. The study's data are loaded as the study loads them
 * (synthetic data from the study's seed), so only the rows and the training seed change.
 *
 * <p>A fresh seed {@code s} gives what replicates 0 .. k-1 of the same study with seed {@code s} would
 * train on ({@link Replicates#split}): with k folds, the k folds of a new partition of all rows by
 * {@code s}, each with a 3:1 train/validation draw of the rest, and {@link #fresh} averages them (k-fold
 * cross-validation, as the study's own runs are folds); without folds, a new 60/20/20 split by
 * {@code s}. So the test rows are new too. The fresh seeds are the seeds of replicates
 * {@value #FRESH_REPLICATES}, {@value #FRESH_REPLICATES} + 1, ... ({@link Replicates#seed}), which no study
 * runs: a study's replicates are below {@link StudySpec.Evaluation#MAX_REPEATS}.
 *
 * <p>Per run, each task's delta is {@link DeltaM#relative} of the configuration's metric against its
 * reference's on the same rows and seed (the paired fixed baseline where that is the reference), Δm their
 * mean over tasks: the definition {@code References.sharing} uses for a study's runs.
 *
 * @implNote Not thread-safe; training inside one JVM is serial anyway.
 */
final class Reevaluation {

    /** The first replicate whose seed is fresh: far above any replicate a study runs. */
    static final int FRESH_REPLICATES = 1_000;

    private final StudySpec spec;
    private final String workerYaml;
    private final Path baseDir;
    private final Dataset data;
    private final int folds;
    private final Split stored;
    private final TrialTraining training = new TrialTraining();
    private final Map<String, TrialProtocol.NewBaseline> baselines = new HashMap<>();
    private long runs;
    private long trainings;

    /**
     * @param specYaml the study's definition as stored
     * @param baseDir  the folder its relative paths resolve against
     * @param stored   the study's stored split (replicate 0's rows without folds; any split of all rows with)
     */
    Reevaluation(String specYaml, Path baseDir, Split stored) {
        this.spec = SpecParser.parse(specYaml, baseDir);
        this.baseDir = baseDir;
        this.stored = stored;
        this.data = Datasets.load(spec.dataset(), spec.tasks(), spec.seed());
        this.folds = Replicates.folds(spec, data);
        // the worker then trains on exactly the rows the stand-in coordinator gives it for replicate 0
        this.workerYaml = set(specYaml, "off", Tag.STR, "evaluation", "folds");
    }

    /** The study's spec. */
    StudySpec spec() {
        return spec;
    }

    /** The study's resolved folds, 0 for none. */
    int folds() {
        return folds;
    }

    /** {@code n} fresh seeds: those of replicates {@value #FRESH_REPLICATES} and on of {@code spec}. */
    static List<Long> freshSeeds(StudySpec spec, int n) {
        return LongStream.range(0, n).mapToObj(j -> Replicates.seed(spec, FRESH_REPLICATES + (int) j)).toList();
    }

    /** Every seed a study's runs may use: those of replicates 0 .. {@link StudySpec.Evaluation#MAX_REPEATS} - 1. */
    static List<Long> studySeeds(StudySpec spec) {
        return LongStream.range(0, StudySpec.Evaluation.MAX_REPEATS)
                .mapToObj(r -> Replicates.seed(spec, (int) r)).toList();
    }

    /** The rows a fresh seed trains, validates and tests on: replicate 0's of the study with that seed. */
    Split freshRows(long seed) {
        return freshRows(seed, 0);
    }

    /**
     * The rows of fold {@code fold} of a fresh seed: replicate {@code fold}'s of the study with that seed,
     * so folds 0 .. k-1 test every row of its new partition once (only fold 0 without folds).
     */
    Split freshRows(long seed, int fold) {
        return Replicates.split(reseeded(seed), Split.seeded(data.rows(), seed), folds, fold);
    }

    /** The training seed of fold {@code fold} of a fresh seed: replicate {@code fold}'s of the study with that seed. */
    long freshTrainingSeed(long seed, int fold) {
        return Replicates.seed(reseeded(seed), fold);
    }

    private StudySpec reseeded(long seed) {
        return new StudySpec(spec.name(), spec.description(), seed, spec.dataset(), spec.tasks(),
                spec.space(), spec.sampler(), spec.population(), spec.baseline(), spec.modelsObjective(),
                spec.budget(), spec.constraints(), spec.schedule(), spec.warmStart(), spec.evaluation());
    }

    /**
     * A fresh seed evaluated as the study answers: with k folds, k-fold cross-validation on the seed's new
     * partition (every row tested once; each fold trained with its own seed), the folds' deltas averaged;
     * without folds, one run on a new 60/20/20 split.
     */
    Run fresh(Candidate configuration, Map<String, Candidate> references, long seed) {
        List<Run> parts = new ArrayList<>();
        for (int fold = 0; fold < Math.max(folds, 1); fold++) {
            parts.add(run(configuration, references, freshRows(seed, fold), freshTrainingSeed(seed, fold)));
        }
        return Run.mean(seed, parts);
    }

    /** The rows of the study's own replicate {@code replicate}, as its trials trained on them. */
    Split studyRows(int replicate) {
        return Replicates.split(spec, stored, folds, replicate);
    }

    /**
     * Trains {@code configuration} and the references on {@code rows} with {@code seed}, each distinct
     * configuration once, and compares them task by task: the configuration against the references (the
     * gain from sharing), and the references against the paired fixed baselines (the gain from tuning).
     *
     * @param configuration the configuration, or null to train and compare the references only (then the
     *                      gain from sharing is NaN)
     * @param references per task, the configuration whose model of that task alone is its reference; a task
     *                   not in the map has the fixed {@code baseline} as its reference
     * @throws IllegalArgumentException when a reference does not train its task alone, or when there is
     *                                  nothing to train
     */
    Run run(Candidate configuration, Map<String, Candidate> references, Split rows, long seed) {
        if (configuration == null && references.isEmpty()) {
            throw new IllegalArgumentException("no configuration and every reference the fixed baseline: nothing "
                    + "to train");
        }
        for (int i = 0; i < spec.tasks().size(); i++) {
            Candidate reference = references.get(spec.tasks().get(i).name());
            if (reference != null && !References.alone(reference, i)) {
                throw new IllegalArgumentException("the reference of task " + spec.tasks().get(i).name()
                        + " does not train it alone: " + reference.groups());
            }
        }
        Map<Candidate, Map<String, TrialProtocol.Result>> trained = new HashMap<>();
        long studyId = -(++runs); // the worker caches a study's rows by id: one id per rows
        java.util.function.Function<Candidate, Map<String, TrialProtocol.Result>> trainedOnce =
                candidate -> trained.computeIfAbsent(candidate, c -> train(c, rows, seed, studyId));
        Map<String, TrialProtocol.Result> mine = configuration == null ? null : trainedOnce.apply(configuration);
        Map<String, TaskRun> tasks = new LinkedHashMap<>();
        for (Task task : spec.tasks()) {
            Candidate reference = references.get(task.name());
            // every training pairs each task with the same fixed baseline of these rows and seed
            TrialProtocol.Result any = (mine != null ? mine : trainedOnce.apply(reference != null ? reference
                    : references.values().iterator().next())).get(task.name());
            TrialProtocol.NewBaseline baseline = baselines.get(any.baselineHash());
            double validation = baseline.validation();
            double test = baseline.test();
            if (reference != null) {
                TrialProtocol.Result theirs = trainedOnce.apply(reference).get(task.name());
                validation = theirs.validation();
                test = theirs.test();
            }
            double ownValidation = mine == null ? Double.NaN : mine.get(task.name()).validation();
            double ownTest = mine == null ? Double.NaN : mine.get(task.name()).test();
            tasks.put(task.name(), new TaskRun(ownValidation, ownTest, validation, test,
                    mine == null ? Double.NaN : DeltaM.relative(ownValidation, validation, task.direction()),
                    mine == null ? Double.NaN : DeltaM.relative(ownTest, test, task.direction()),
                    DeltaM.relative(validation, baseline.validation(), task.direction()),
                    DeltaM.relative(test, baseline.test(), task.direction())));
        }
        return new Run(seed, rows, tasks, mean(tasks, TaskRun::validationDelta), mean(tasks, TaskRun::testDelta),
                mean(tasks, TaskRun::tuningValidationDelta), mean(tasks, TaskRun::tuningTestDelta), trained.size());
    }

    private static double mean(Map<String, TaskRun> tasks, java.util.function.ToDoubleFunction<TaskRun> delta) {
        return tasks.values().stream().mapToDouble(delta).average().orElseThrow();
    }

    /** Trains one configuration through the worker's code; its new baselines are kept for later runs. */
    private Map<String, TrialProtocol.Result> train(Candidate candidate, Split rows, long seed, long studyId) {
        AssignmentRunner.Outcome outcome;
        try {
            outcome = training.run(new TrialProtocol.Assignment(++trainings, UUID.randomUUID(),
                    null, 10, studyId, 0, seed, 0, candidate, null, null, workerYaml, baseDir.toString(),
                    data.contentHash()), new Coordinator(rows, data.contentHash(), baselines));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) { // run() declares Exception; TrialTraining throws none of its own
            throw new IllegalStateException("training " + candidate.groups() + " with seed " + seed + " failed", e);
        }
        if (!(outcome instanceof AssignmentRunner.Outcome.Completed done)) {
            throw new IllegalStateException("training " + candidate.groups() + " was pruned; nothing prunes here");
        }
        done.completion().baselines().forEach(b -> baselines.putIfAbsent(b.hash(), b));
        Map<String, TrialProtocol.Result> out = new LinkedHashMap<>();
        done.completion().results().forEach(r -> out.put(r.task(), r));
        return out;
    }

    /**
     * {@code yaml} with the scalar at {@code path} set to {@code value} (mappings along the path are added
     * when missing). Comments are dropped; everything else is kept as written.
     */
    static String set(String yaml, String value, Tag tag, String... path) {
        Yaml parser = new Yaml();
        Node root = parser.compose(new StringReader(yaml));
        if (!(root instanceof MappingNode mapping)) {
            throw new IllegalArgumentException("a study file is a mapping");
        }
        for (int i = 0; i < path.length - 1; i++) {
            Node next = child(mapping, path[i]).orElse(null);
            if (next == null) {
                next = new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
                mapping.getValue().add(new NodeTuple(scalar(path[i], Tag.STR), next));
            }
            if (!(next instanceof MappingNode nested)) {
                throw new IllegalArgumentException(path[i] + " is not a mapping");
            }
            mapping = nested;
        }
        String key = path[path.length - 1];
        List<NodeTuple> tuples = mapping.getValue();
        tuples.removeIf(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key));
        tuples.add(new NodeTuple(scalar(key, Tag.STR), scalar(value, tag)));
        StringWriter out = new StringWriter();
        parser.serialize(root, out);
        return out.toString();
    }

    private static Optional<Node> child(MappingNode mapping, String key) {
        return mapping.getValue().stream()
                .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key))
                .map(NodeTuple::getValueNode).findFirst();
    }

    private static ScalarNode scalar(String value, Tag tag) {
        return new ScalarNode(tag, value, null, null, DumperOptions.ScalarStyle.PLAIN);
    }

    /** The mean over runs of their test Δm, with its 95 % interval. */
    static Interval testDeltaM(List<Run> runs) {
        return Interval.of(runs.stream().mapToDouble(Run::testDeltaM).toArray());
    }

    /** The mean over runs of their validation Δm, with its 95 % interval. */
    static Interval validationDeltaM(List<Run> runs) {
        return Interval.of(runs.stream().mapToDouble(Run::deltaM).toArray());
    }

    /** The mean over runs of the references' test Δm against the fixed baselines, with its 95 % interval. */
    static Interval testTuningDeltaM(List<Run> runs) {
        return Interval.of(runs.stream().mapToDouble(Run::testTuningDeltaM).toArray());
    }

    /**
     * One paired run.
     *
     * @param deltaM           Δm against the references on the run's validation rows (NaN without a configuration)
     * @param testDeltaM       Δm against the references on the run's test rows (NaN without a configuration)
     * @param tuningDeltaM     the references' Δm against the fixed baselines on the validation rows (a task whose
     *                         reference is the fixed baseline counts 0): the gain from tuning
     * @param testTuningDeltaM the same on the test rows
     * @param trained          distinct configurations trained (the configuration and references it is not)
     */
    record Run(long seed, Split rows, Map<String, TaskRun> tasks, double deltaM, double testDeltaM,
               double tuningDeltaM, double testTuningDeltaM, int trained) {

        /**
         * The runs of one seed's folds as one: every metric and delta averaged over them, the first fold's
         * rows, the trainings summed.
         */
        static Run mean(long seed, List<Run> folds) {
            if (folds.size() == 1) {
                return folds.getFirst();
            }
            Map<String, TaskRun> tasks = new LinkedHashMap<>();
            for (String task : folds.getFirst().tasks().keySet()) {
                List<TaskRun> t = folds.stream().map(r -> r.tasks().get(task)).toList();
                tasks.put(task, new TaskRun(avg(t, TaskRun::validation), avg(t, TaskRun::test),
                        avg(t, TaskRun::referenceValidation), avg(t, TaskRun::referenceTest),
                        avg(t, TaskRun::validationDelta), avg(t, TaskRun::testDelta),
                        avg(t, TaskRun::tuningValidationDelta), avg(t, TaskRun::tuningTestDelta)));
            }
            return new Run(seed, folds.getFirst().rows(), tasks, avg(folds, Run::deltaM), avg(folds, Run::testDeltaM),
                    avg(folds, Run::tuningDeltaM), avg(folds, Run::testTuningDeltaM),
                    folds.stream().mapToInt(Run::trained).sum());
        }

        private static <T> double avg(List<T> values, java.util.function.ToDoubleFunction<T> f) {
            return values.stream().mapToDouble(f).average().orElseThrow();
        }
    }

    /**
     * One task of a run: the configuration's metric (NaN without one) and its reference's, on both splits,
     * the configuration's deltas against the reference and the reference's against the fixed baseline (%).
     */
    record TaskRun(double validation, double test, double referenceValidation, double referenceTest,
                   double validationDelta, double testDelta, double tuningValidationDelta, double tuningTestDelta) {
    }

    /**
     * The coordinator's side of the protocol as far as {@link TrialTraining} needs it for one set of rows:
     * the rows, the baselines already trained, and no pruning.
     */
    record Coordinator(Split rows, String dataHash, Map<String, TrialProtocol.NewBaseline> baselines)
            implements TrialProtocol {

        @Override
        public SplitRows split(long studyId, int replicate) {
            if (replicate != 0) {
                throw new IllegalArgumentException("only replicate 0 is served here, asked " + replicate);
            }
            return new SplitRows(dataHash, rows.train(), rows.validation(), rows.test());
        }

        @Override
        public Optional<Double> baseline(String hash) {
            return Optional.ofNullable(baselines.get(hash)).map(NewBaseline::validation);
        }

        @Override
        public boolean report(long trialId, UUID claim, int step, Map<String, Double> values) {
            return false;
        }

        // the rest of the protocol is the claim's life, which a worker driven by hand does not have
        @Override
        public Optional<Assignment> claim(String worker, Duration wait) { throw unsupported(); }
        @Override
        public Assignment assignment(long trialId, UUID claim) { throw unsupported(); }
        @Override
        public Lease heartbeat(long trialId, UUID claim) { throw unsupported(); }
        @Override
        public void complete(long trialId, UUID claim, Completion completion) { throw unsupported(); }
        @Override
        public void prune(long trialId, UUID claim) { throw unsupported(); }
        @Override
        public void fail(long trialId, UUID claim, String error) { throw unsupported(); }
        @Override
        public void release(long trialId, UUID claim, String reason) { throw unsupported(); }

        private static UnsupportedOperationException unsupported() {
            return new UnsupportedOperationException("a re-evaluation serves rows and baselines only");
        }
    }
}
