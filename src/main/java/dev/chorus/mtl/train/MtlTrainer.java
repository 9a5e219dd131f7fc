package dev.chorus.mtl.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Split;
import dev.chorus.mtl.sampling.BatchPlan;
import dev.chorus.mtl.train.weighting.LossWeighting;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Trains one multi-task model with DJL's PyTorch engine and scores it.
 *
 * <p>The model is the {@link ModelSpec}'s architecture ({@link HardNet}, {@link MmoeNet},
 * {@link CrossStitchNet}) with one head per task (binary: 1 logit, sigmoid cross-entropy; multiclass: k
 * logits, softmax cross-entropy; regression: 1 output, squared error on the target standardized with
 * the training labels). {@code L_t} is the mean loss over the batch rows labelled for task {@code t}
 * ({@link MaskedLoss}); a {@link LossWeighting} made once per model turns the losses (and, for
 * gradient methods, the gradients of the shared representation) into the update ({@link StepRunner}).
 * Features are standardized with the training split's statistics; missing cells take the training
 * mean. Adam with the settings' learning rate; Xavier-initialized weights; mini-batches shuffled every
 * epoch by a {@link Random} seeded with {@code seed}. Training stops early after
 * {@code max(3, epochs / 4)} epochs without a better validation score ({@link EarlyStopping}: the
 * mean over the trained tasks of the direction-adjusted metric relative to its first epoch); the test
 * metrics are those of the best epoch. Training that diverges (a NaN or infinite loss or output, or a
 * collapsed network whose validation outputs are the same for every row) throws
 * {@link TrainingDivergedException} instead of returning a result. The device is configured by
 * {@code chorus.device} ({@link Devices}).
 *
 * @implNote PyTorch allows one open gradient collector per JVM, so calls to {@link #train} are
 *     serialized by a JVM-wide lock: concurrent callers wait their turn (train in several processes to
 *     train in parallel). Every call sets PyTorch's intra-op threads to 1 on the calling thread and
 *     seeds the engine, and no differentiated operation reads Java-owned memory ({@link Tensors}): on
 *     the CPU the same inputs and seed give bit-identical results, whatever the thread and whatever
 *     the garbage collector does. Every native array is released before {@link #train} returns.
 *     Instances are immutable and thread-safe.
 */
public final class MtlTrainer {

    private static final String ENGINE = "PyTorch";
    private static final ReentrantLock LOCK = new ReentrantLock(true);

    static {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    /** Makes a model's weighting; the seam through which tests plug in their own methods. */
    @FunctionalInterface
    interface WeightingFactory {
        LossWeighting create(ModelSpec model, double[] fixedWeights, long seed);
    }

    private final WeightingFactory weightings;

    public MtlTrainer() {
        this((model, fixed, seed) -> LossWeighting.of(model.weighting(), fixed, model.settings().learningRate(), seed));
    }

    MtlTrainer(WeightingFactory weightings) {
        this.weightings = Objects.requireNonNull(weightings, "weightings");
    }

    /**
     * Trains one model on {@code tasks} and evaluates it.
     *
     * @param data  the study's rows; must hold every task's labels
     * @param split which rows train, validate (early stopping) and test
     * @param tasks the model's tasks, in head order; at least one, names unique
     * @param model architecture, weighting (with one weight per task for {@link Weighting#FIXED}) and
     *              settings
     * @param seed  seeds initialisation, shuffling and the weighting
     * @return each task's primary metric on the test split at the best epoch (regression in the label's
     *     units), and epoch by epoch on the validation split
     * @throws IllegalArgumentException  when a task is not in {@code data}, the weights do not fit the
     *                                   tasks, or the split names rows outside {@code data}
     * @throws TrainingDivergedException when training diverges: a task's training loss becomes NaN or
     *                                   infinite, the model outputs NaN or infinity for a validation or
     *                                   test row, or a task's validation outputs are the same for every
     *                                   row in every epoch after the first ({@link Divergence})
     */
    public GroupResult train(Dataset data, Split split, List<Task> tasks, ModelSpec model, long seed) {
        return train(data, split, tasks, model, seed, EpochObserver.NONE);
    }

    /** As {@link #train(Dataset, Split, List, ModelSpec, long)}, stopping when {@code observer} says so. */
    public GroupResult train(Dataset data, Split split, List<Task> tasks, ModelSpec model, long seed,
                             EpochObserver observer) {
        return checkedTrain(data, split, tasks, model, seed, Objects.requireNonNull(observer, "observer"), null);
    }

    /** A single-task baseline: {@code task} alone in a {@link ModelSpec#plain} model. */
    public GroupResult train(Dataset data, Split split, Task task, TrainSettings settings, long seed) {
        return train(data, split, List.of(Objects.requireNonNull(task, "task")), ModelSpec.plain(settings), seed);
    }

    /**
     * Trains {@code tasks} as {@link #train(Dataset, Split, List, ModelSpec, long)} does, showing every
     * step's batch and model to {@code steps} before its update; under the JVM-wide lock.
     */
    GroupResult train(Dataset data, Split split, List<Task> tasks, ModelSpec model, long seed,
                      StepRunner.StepObserver steps) {
        return checkedTrain(data, split, tasks, model, seed, EpochObserver.NONE, Objects.requireNonNull(steps, "steps"));
    }

    /** Trains on already prepared data; package-private so tests can tamper with unlabelled targets. */
    GroupResult train(EncodedData data, Split split, ModelSpec model, double[] fixedWeights, long seed) {
        return locked(data, split, model, fixedWeights, seed, EpochObserver.NONE, null);
    }

    private GroupResult checkedTrain(Dataset data, Split split, List<Task> tasks, ModelSpec model, long seed,
                                     EpochObserver observer, StepRunner.StepObserver steps) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(model, "model");
        checkTasks(data, tasks);
        double[] fixed = fixedWeights(tasks, model);
        return locked(EncodedData.of(data, split, tasks, !model.rawTargets()), split, model, fixed, seed, observer, steps);
    }

    /** Runs one training under the JVM-wide lock: PyTorch allows one gradient collector at a time. */
    private GroupResult locked(EncodedData data, Split split, ModelSpec model, double[] fixed, long seed,
                               EpochObserver observer, StepRunner.StepObserver steps) {
        LOCK.lock();
        try {
            return run(data, split, model, fixed, seed, observer, steps);
        } finally {
            LOCK.unlock();
        }
    }

    private GroupResult run(EncodedData data, Split split, ModelSpec model, double[] fixed, long seed,
                            EpochObserver observer, StepRunner.StepObserver stepObserver) {
        Engine engine = Engine.getEngine(ENGINE);
        JniUtils.setNumThreads(1); // per calling thread: OpenMP and MKL keep their thread count per thread
        engine.setRandomSeed((int) (seed ^ (seed >>> 32)));
        Device device = Devices.configured(engine);
        TrainSettings settings = model.settings();
        List<Task> scored = new ArrayList<>();
        for (int t = 0; t < data.heads().size(); t++) {
            if (fixed[t] > 0) {
                scored.add(data.heads().get(t).task());
            }
        }
        try (NDManager root = NDManager.newBaseManager(device, ENGINE)) {
            MtlNet net = network(model, data);
            net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            net.initialize(root, DataType.FLOAT32, new Shape(1, data.width()));
            ParameterStore ps = new ParameterStore(root, false);
            ps.setParameterServer(new LocalParameterServer(Optimizer.adam()
                    .optLearningRateTracker(Tracker.fixed((float) settings.learningRate())).build()), new Device[] {device});
            LossWeighting weighting = weightings.create(model, fixed, seed);
            StepRunner steps = new StepRunner(engine, net, ps, weighting, data, root, stepObserver);
            Divergence divergence = new Divergence(data, split.validation());
            EarlyStopping stopping = new EarlyStopping(scored, settings.epochs());
            Random shuffle = new Random(seed);
            Map<String, float[]> labels = new LinkedHashMap<>();
            data.heads().forEach(h -> labels.put(h.task().name(), h.labels()));
            BatchPlan plan = BatchPlan.of(model.sampling(), split.train(), labels, settings.batchSize());
            List<Map<String, Double>> byEpoch = new ArrayList<>();
            Map<String, Double> test = null;
            for (int epoch = 0; epoch < settings.epochs() && !stopping.exhausted(); epoch++) {
                for (int[] batch : plan.epoch(epoch, shuffle)) {
                    steps.step(batch, epoch);
                }
                weighting.endEpoch(steps.epochMeans());
                Map<String, Double> validation = evaluate(net, ps, root, data, split.validation(), epoch, divergence);
                byEpoch.add(validation);
                if (stopping.record(validation)) {
                    test = evaluate(net, ps, root, data, split.test(), epoch, null);
                }
                if (observer.stopAfter(epoch, validation)) {
                    divergence.checkCollapse();
                    return new GroupResult(test, byEpoch, stopping.epochs(), stopping.best(), true);
                }
            }
            divergence.checkCollapse();
            return new GroupResult(test, byEpoch, stopping.epochs(), stopping.best());
        }
    }

    static MtlNet network(ModelSpec model, EncodedData data) {
        int[] outputs = data.heads().stream().mapToInt(EncodedData.Head::outputs).toArray();
        TrainSettings s = model.settings();
        return MtlNet.of(model.architecture(), outputs, s.trunkWidth(), s.trunkDepth(), model.headDepth(),
                model.experts(), model.conv());
    }

    /**
     * Each task's primary metric over the labelled ones of {@code rows}, after epoch {@code epoch}
     * (0-based). Throws {@link TrainingDivergedException} before computing any metric when an output
     * is NaN or infinite; shows the validation outputs to {@code divergence} (null for the test rows).
     */
    private static Map<String, Double> evaluate(MtlNet net, ParameterStore ps, NDManager root, EncodedData data, int[] rows,
                                                int epoch, Divergence divergence) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (rows.length == 0) {
            data.heads().forEach(h -> metrics.put(h.task().name(), Double.NaN));
            return metrics;
        }
        try (NDManager manager = root.newSubManager()) {
            NDList out = net.forward(ps, new NDList(Tensors.of(manager, data.features(rows),
                    new Shape(rows.length, data.width()))), false);
            for (int h = 0; h < data.heads().size(); h++) {
                Divergence.checkOutputs(data.heads().get(h), out.get(h).toFloatArray(),
                        divergence == null ? "test" : "validation", epoch);
            }
            for (int h = 0; h < data.heads().size(); h++) {
                EncodedData.Head head = data.heads().get(h);
                NDArray raw = out.get(h);
                float[] outputs = switch (head.task().type()) {
                    case BINARY -> Activation.sigmoid(raw).toFloatArray();
                    case MULTICLASS -> raw.softmax(1).toFloatArray();
                    case REGRESSION -> raw.toFloatArray();
                };
                if (divergence != null) {
                    divergence.observe(h, outputs, epoch);
                }
                if (head.task().type() == TaskType.REGRESSION) {
                    for (int i = 0; i < outputs.length; i++) {
                        outputs[i] = head.unscale(outputs[i]);
                    }
                }
                metrics.put(head.task().name(), Metrics.compute(head.task().metric(),
                        Batch.gather(head.labels(), rows), outputs, head.outputs()));
            }
        }
        return metrics;
    }

    private static void checkTasks(Dataset data, List<Task> tasks) {
        if (tasks == null || tasks.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one task");
        }
        if (new HashSet<>(tasks.stream().map(Task::name).toList()).size() != tasks.size()) {
            throw new IllegalArgumentException("a model's task names must be unique: " + tasks);
        }
        for (Task t : tasks) {
            if (!data.taskNames().contains(t.name())) {
                throw new IllegalArgumentException("dataset '" + data.name() + "' has no labels for task '"
                        + t.name() + "'; load the dataset with every task of the study");
            }
            if (t.type() != TaskType.REGRESSION && data.classCount(t.name()) < 2) {
                throw new IllegalArgumentException("task '" + t.name() + "' is " + t.type().id()
                        + " but dataset '" + data.name() + "' has no class count for it");
            }
        }
    }

    /** The checked per-task weights: the given ones under {@link Weighting#FIXED}, else all 1. */
    static double[] fixedWeights(List<Task> tasks, ModelSpec model) {
        double[] out = new double[tasks.size()];
        List<Double> weights = model.weights();
        if (model.weighting() != Weighting.FIXED) {
            Arrays.fill(out, 1.0);
            return out;
        }
        if (weights == null || weights.size() != tasks.size()) {
            throw new IllegalArgumentException("fixed weighting needs one weight per task: " + tasks.size()
                    + " tasks, " + (weights == null ? 0 : weights.size()) + " weights");
        }
        double sum = 0;
        for (int t = 0; t < out.length; t++) {
            double w = weights.get(t);
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("the weight of task '" + tasks.get(t).name()
                        + "' must be a finite number >= 0, was " + w);
            }
            out[t] = w;
            sum += w;
        }
        if (sum == 0) {
            throw new IllegalArgumentException("at least one task weight must be above 0: " + weights);
        }
        return out;
    }

}
