package dev.chorus.study;

import dev.chorus.dispatch.TrialExecutor;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.data.ImageSpec;
import dev.chorus.mtl.train.ConvInput;
import dev.chorus.mtl.train.EpochObserver;
import dev.chorus.mtl.train.ModelSize;
import dev.chorus.mtl.train.GroupResult;
import dev.chorus.mtl.train.ModelSpec;
import dev.chorus.mtl.train.MtlTrainer;
import dev.chorus.search.Hypervolume;
import dev.chorus.search.Pareto;
import dev.chorus.search.Pruner;
import dev.chorus.store.BaselineStore;
import dev.chorus.store.TrialStore;
import dev.chorus.trial.Baseline;
import dev.chorus.trial.DeltaM;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Trains a trial's candidate, one model per group, compares every task with its single-task
 * baseline (trained on first need, then reused from the store) and stores the results together with
 * the study's updated Pareto front.
 */
@ApplicationScoped
class TrialExecution implements TrialExecutor {

    private static final Logger LOG = Logger.getLogger(TrialExecution.class);

    private final StudyService studies;
    private final StudyData data;
    private final TrialStore trials;
    private final BaselineStore baselines;
    private final MtlTrainer trainer = new MtlTrainer();
    private final InstantSource clock;

    TrialExecution(StudyService studies, StudyData data, TrialStore trials, BaselineStore baselines,
                   InstantSource clock) {
        this.studies = studies;
        this.data = data;
        this.trials = trials;
        this.baselines = baselines;
        this.clock = clock;
    }

    @Override
    public void execute(Trial trial) {
        StudySpec spec = studies.spec(trial.studyId());
        StudyData.Prepared prepared = data.of(trial.studyId(), spec);
        Candidate candidate = trial.candidate();
        long seed = spec.seed() * 1_000_003L + trial.number();

        checkSize(spec, prepared, candidate);
        Map<String, Double> values = new LinkedHashMap<>();
        List<Map<String, Double>> intermediate = new ArrayList<>();
        Map<Long, List<Map<String, Double>>> finishedCurves = spec.schedule().pruner() == StudySpec.PrunerKind.NONE
                ? Map.of() : trials.intermediateCurves(trial.studyId());
        for (List<Integer> group : candidate.members()) {
            List<Task> tasks = group.stream().map(spec.tasks()::get).toList();
            GroupResult r = trainer.train(prepared.dataset(), prepared.split(), tasks,
                    model(spec, ModelSpec.of(candidate, group)), seed, observer(spec, tasks, finishedCurves));
            merge(intermediate, r.validationByEpoch());
            if (r.pruned()) {
                if (QuarkusTransaction.requiringNew().call(() -> trials.prune(trial.id(), intermediate, clock.instant()))) {
                    LOG.infof("Study %d: trial %d pruned after epoch %d of a model of %s (%s pruner)", trial.studyId(),
                            trial.number(), r.epochsRun(), tasks.stream().map(Task::name).toList(),
                            spec.schedule().pruner().id());
                }
                return;
            }
            values.putAll(r.testMetrics());
        }
        List<TaskResult> results = new ArrayList<>();
        for (Task task : spec.tasks()) {
            Baseline baseline = baseline(spec, prepared, task);
            double value = values.get(task.name());
            results.add(new TaskResult(task.name(), value, baseline.value(),
                    DeltaM.relative(value, baseline.value(), task.direction()), baseline.hash()));
        }
        double deltaM = DeltaM.of(results);
        boolean stored = QuarkusTransaction.requiringNew().call(() -> {
            if (!trials.complete(trial.id(), results, deltaM, intermediate, clock.instant())) {
                return false;
            }
            refreshFront(trial.studyId(), trial.id(), spec);
            return true;
        });
        if (stored) {
            StudyService.Progress p = studies.progress(trial.studyId());
            LOG.infof("Study %d: trial %d done (%d/%d), %d model(s), Δm %+.2f%%; best Δm so far %+.2f%% (trial %d)",
                    trial.studyId(), trial.number(), p.finished(), p.budget(), candidate.groupCount(), deltaM,
                    p.bestDeltaM(), p.bestTrial());
        } else {
            LOG.warnf("Trial %d of study %d was no longer running when it finished; its result is dropped",
                    trial.number(), trial.studyId());
        }
    }

    /**
     * Recomputes which trials are non-dominated: among the acceptable ones (complete, within the
     * constraints), or among all complete ones while none is acceptable. Runs in the caller's
     * transaction.
     */
    private void refreshFront(long studyId, long trialId, StudySpec spec) {
        List<Trial> finished = trials.listFinished(studyId);
        List<Trial> acceptable = finished.stream().filter(t -> Objectives.feasible(spec, t)).toList();
        List<Trial> complete = !acceptable.isEmpty() ? acceptable
                : finished.stream().filter(t -> t.state() == TrialState.COMPLETE).toList();
        List<double[]> objectives = complete.stream().map(t -> Objectives.of(spec, t)).toList();
        List<Trial> front = Pareto.nonDominated(objectives).stream().map(complete::get).toList();
        trials.replaceFront(studyId, front.stream().map(Trial::id).toList());
        if (Objectives.count(spec) <= Objectives.MAX_HYPERVOLUME_OBJECTIVES) {
            double hv = acceptable.isEmpty() ? 0 : Hypervolume.of(
                    front.stream().map(t -> Objectives.forHypervolume(spec, t)).toList(),
                    Objectives.hypervolumeReference(spec));
            long completeCount = finished.stream().filter(t -> t.state() == TrialState.COMPLETE).count();
            trials.addHypervolume(studyId, trialId, (int) completeCount, hv, clock.instant());
        }
    }

    private Baseline baseline(StudySpec spec, StudyData.Prepared prepared, Task task) {
        String hash = baselineHash(prepared, task, model(spec, ModelSpec.plain(spec.baseline())).toString(),
                spec.seed());
        return baselines.find(hash).orElseGet(() -> {
            long start = System.nanoTime();
            GroupResult r = trainer.train(prepared.dataset(), prepared.split(), List.of(task),
                    model(spec, ModelSpec.plain(spec.baseline())), spec.seed());
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.infof("Baseline for task %s trained alone: %s %.4f (%.1f s)", task.name(), task.metric().id(),
                    r.testMetrics().get(task.name()), seconds);
            return baselines.save(new Baseline(hash, task.name(), task.metric(), r.testMetrics().get(task.name()),
                    spec.baseline(), seconds, clock.instant()));
        });
    }

    /** Fails the trial before any training when its models are larger than the study allows. */
    private static void checkSize(StudySpec spec, StudyData.Prepared prepared, Candidate candidate) {
        Long max = spec.constraints().maxParameters();
        if (max == null) {
            return;
        }
        long total = 0;
        for (List<Integer> group : candidate.members()) {
            total += ModelSize.parameters(prepared.dataset(), group.stream().map(spec.tasks()::get).toList(),
                    model(spec, ModelSpec.of(candidate, group)));
        }
        if (total > max) {
            throw new IllegalStateException("the candidate's " + candidate.groupCount() + " model(s) have " + total
                    + " parameters, above the study's constraints.max-parameters of " + max + "; not trained");
        }
    }

    /**
     * Consults the study's pruner after each epoch of one model: its tasks' validation values so far
     * against the same tasks' values in the study's finished trials at the same epoch.
     */
    private static EpochObserver observer(StudySpec spec, List<Task> tasks, Map<Long, List<Map<String, Double>>> curves) {
        if (spec.schedule().pruner() == StudySpec.PrunerKind.NONE) {
            return EpochObserver.NONE;
        }
        Pruner pruner = spec.schedule().pruner().pruner();
        List<List<double[]>> others = curves.values().stream().map(c -> adjusted(tasks, c)).toList();
        List<double[]> mine = new ArrayList<>();
        return (epoch, validation) -> {
            mine.add(adjusted(tasks, List.of(validation)).getFirst());
            return pruner.prune(epoch, mine, others);
        };
    }

    /** Per epoch, the tasks' values flipped so larger is better; a curve stops where a task is missing. */
    private static List<double[]> adjusted(List<Task> tasks, List<Map<String, Double>> curve) {
        List<double[]> out = new ArrayList<>();
        for (Map<String, Double> step : curve) {
            double[] v = new double[tasks.size()];
            for (int i = 0; i < v.length; i++) {
                Double value = step.get(tasks.get(i).name());
                if (value == null) {
                    return out;
                }
                v[i] = tasks.get(i).direction().sign() * value;
            }
            out.add(v);
        }
        return out;
    }

    /** {@code model} with the study's sampling and, for images, its convolutional trunk. */
    private static ModelSpec model(StudySpec spec, ModelSpec model) {
        ModelSpec sampled = model.withSampling(spec.dataset().sampling());
        return spec.dataset() instanceof ImageSpec images ? sampled.withConv(ConvInput.of(images)) : sampled;
    }

    /** Equal hashes mean equal rows, split, task definition, training settings and seed. */
    static String baselineHash(StudyData.Prepared prepared, Task task, String settings, long seed) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String key = String.join("\n", prepared.dataset().contentHash(), prepared.split().toString(),
                    task.toString(), settings, Long.toString(seed), "trainer-v2");
            return HexFormat.of().formatHex(sha.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void merge(List<Map<String, Double>> into, List<Map<String, Double>> epochs) {
        for (int i = 0; i < epochs.size(); i++) {
            if (into.size() <= i) {
                into.add(new LinkedHashMap<>());
            }
            into.get(i).putAll(epochs.get(i));
        }
    }
}
