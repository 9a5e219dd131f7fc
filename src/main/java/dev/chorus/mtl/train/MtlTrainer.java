package dev.chorus.mtl.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Split;
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
 * Trains one multi-task model on the CPU with DJL's PyTorch engine and scores it.
 *
 * <p>The model: a shared trunk of {@link TrainSettings#trunkDepth()} {@code Linear + ReLU} layers of
 * {@link TrainSettings#trunkWidth()} units, and one linear head per task (binary: 1 logit, sigmoid
 * cross-entropy; multiclass: k logits, softmax cross-entropy; regression: 1 output, squared error on
 * the target standardized with the training labels). The loss is {@code sum_t w_t * L_t} where
 * {@code L_t} is the mean loss over the batch rows labelled for task {@code t} (see
 * {@link MaskedLoss}) and {@code w_t} is 1 under {@link Weighting#EQUAL} or the given weight under
 * {@link Weighting#FIXED}. Features are standardized with the training split's statistics; missing
 * feature cells take the training mean. Adam with the settings' learning rate; Xavier-initialized
 * weights; mini-batches shuffled every epoch by a {@link Random} seeded with {@code seed}. A batch in
 * which no task has a label is skipped.
 *
 * <p>Single-task baselines are {@link #train} with one task.
 *
 * @implNote PyTorch allows one open gradient collector per JVM, so calls to {@link #train} are
 *     serialized by a JVM-wide lock: concurrent callers wait their turn (train in several processes to
 *     train in parallel). Loading this class sets {@code ai.djl.pytorch.num_threads} and
 *     {@code ai.djl.pytorch.num_interop_threads} to 1 unless already set, which takes effect only if the
 *     PyTorch engine has not started yet; {@link #train} also sets PyTorch's intra-op threads to 1.
 *     With one thread, the same inputs and seed give bit-identical results on the same machine. Every
 *     native array is released before {@link #train} returns. The trainer holds no state: instances
 *     are interchangeable and thread-safe.
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

    /**
     * Trains one model on {@code tasks} and evaluates it.
     *
     * @param data      the study's rows; must hold every task's labels
     * @param split     which rows train, validate and test
     * @param tasks     the model's tasks, in head order; at least one, names unique
     * @param weights   one loss weight per task (finite, at least 0, not all 0) under
     *                  {@link Weighting#FIXED}; ignored (may be null) under {@link Weighting#EQUAL}
     * @param weighting how the task losses are combined
     * @param settings  trunk shape and optimiser settings
     * @param seed      seeds initialisation and shuffling
     * @return each task's primary metric on the test split (regression in the label's units) and, epoch
     *     by epoch, on the validation split
     * @throws IllegalArgumentException when a task is not in {@code data}, the weights do not fit the
     *                                  tasks, or the split names rows outside {@code data}
     */
    public GroupResult train(Dataset data, Split split, List<Task> tasks, List<Double> weights,
                             Weighting weighting, TrainSettings settings, long seed) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(weighting, "weighting");
        Objects.requireNonNull(settings, "settings");
        checkTasks(data, tasks);
        double[] lossWeights = lossWeights(tasks, weights, weighting);
        return train(Prepared.of(data, split, tasks), split, lossWeights, settings, seed);
    }

    /** Trains on already prepared data; package-private so tests can tamper with unlabelled targets. */
    GroupResult train(Prepared data, Split split, double[] lossWeights, TrainSettings settings, long seed) {
        LOCK.lock();
        try {
            return run(data, split, lossWeights, settings, seed);
        } finally {
            LOCK.unlock();
        }
    }

    private static GroupResult run(Prepared data, Split split, double[] lossWeights, TrainSettings settings,
                                   long seed) {
        Engine engine = Engine.getEngine(ENGINE);
        if (JniUtils.getNumThreads() != 1) {
            JniUtils.setNumThreads(1);
        }
        engine.setRandomSeed((int) (seed ^ (seed >>> 32)));
        List<Prepared.Head> heads = data.heads();
        try (Model model = Model.newInstance("mtl", Device.cpu(), ENGINE)) {
            model.setBlock(network(heads, settings));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()) // unused: see MaskedLoss
                    .optDevices(new Device[] {Device.cpu()})
                    .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT)
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed((float) settings.learningRate()))
                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, data.width()));
                Random shuffle = new Random(seed);
                int[] order = split.train();
                List<Map<String, Double>> byEpoch = new ArrayList<>();
                for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                    shuffle(order, shuffle);
                    for (int start = 0; start < order.length; start += settings.batchSize()) {
                        int[] rows = Arrays.copyOfRange(order, start, Math.min(order.length,
                                start + settings.batchSize()));
                        step(trainer, data, rows, lossWeights);
                    }
                    byEpoch.add(evaluate(trainer, data, split.validation()));
                }
                return new GroupResult(evaluate(trainer, data, split.test()), byEpoch);
            }
        }
    }

    /** The trunk followed by one head per task; the output list holds the heads' outputs in order. */
    private static Block network(List<Prepared.Head> heads, TrainSettings settings) {
        SequentialBlock net = new SequentialBlock();
        for (int layer = 0; layer < settings.trunkDepth(); layer++) {
            net.add(Linear.builder().setUnits(settings.trunkWidth()).build()).add(Activation.reluBlock());
        }
        List<Block> outputs = new ArrayList<>();
        for (Prepared.Head head : heads) {
            outputs.add(Linear.builder().setUnits(head.outputs()).build());
        }
        return net.add(new ParallelBlock(lists -> {
            NDList joined = new NDList();
            lists.forEach(joined::addAll);
            return joined;
        }, outputs));
    }

    private static void step(Trainer trainer, Prepared data, int[] rows, double[] lossWeights) {
        List<Prepared.Head> heads = data.heads();
        int[] labelled = new int[heads.size()];
        boolean any = false;
        for (int h = 0; h < heads.size(); h++) {
            for (int r : rows) {
                labelled[h] += heads.get(h).mask()[r] > 0 ? 1 : 0;
            }
            any |= labelled[h] > 0 && lossWeights[h] > 0;
        }
        if (!any) {
            return;
        }
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDArray x = batch.create(data.features(rows), new Shape(rows.length, data.width()));
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList out = trainer.forward(new NDList(x));
                NDArray loss = null;
                for (int h = 0; h < heads.size(); h++) {
                    if (labelled[h] == 0 || lossWeights[h] == 0) {
                        continue;
                    }
                    Prepared.Head head = heads.get(h);
                    float[] target = gather(head.target(), rows);
                    NDArray oneHot = head.task().type() == TaskType.MULTICLASS
                            ? batch.create(oneHot(target, head.outputs()), new Shape(rows.length, head.outputs()))
                            : null;
                    NDArray term = MaskedLoss.of(head.task().type(), out.get(h), batch.create(target), oneHot,
                            batch.create(gather(head.mask(), rows)), labelled[h]).mul(lossWeights[h]);
                    loss = loss == null ? term : loss.add(term);
                }
                collector.backward(loss);
            }
            trainer.step();
        }
    }

    /** Each task's primary metric over the labelled ones of {@code rows}. */
    private static Map<String, Double> evaluate(Trainer trainer, Prepared data, int[] rows) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (rows.length == 0) {
            data.heads().forEach(h -> metrics.put(h.task().name(), Double.NaN));
            return metrics;
        }
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDList out = trainer.evaluate(new NDList(
                    manager.create(data.features(rows), new Shape(rows.length, data.width()))));
            for (int h = 0; h < data.heads().size(); h++) {
                Prepared.Head head = data.heads().get(h);
                NDArray raw = out.get(h);
                float[] outputs = switch (head.task().type()) {
                    case BINARY -> Activation.sigmoid(raw).toFloatArray();
                    case MULTICLASS -> raw.softmax(1).toFloatArray();
                    case REGRESSION -> raw.toFloatArray();
                };
                if (head.task().type() == TaskType.REGRESSION) {
                    for (int i = 0; i < outputs.length; i++) {
                        outputs[i] = head.unscale(outputs[i]);
                    }
                }
                metrics.put(head.task().name(), Metrics.compute(head.task().metric(),
                        gather(head.labels(), rows), outputs, head.outputs()));
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

    private static double[] lossWeights(List<Task> tasks, List<Double> weights, Weighting weighting) {
        double[] out = new double[tasks.size()];
        if (weighting == Weighting.EQUAL) {
            Arrays.fill(out, 1.0);
            return out;
        }
        if (weights == null || weights.size() != tasks.size()) {
            throw new IllegalArgumentException("fixed weighting needs one weight per task: " + tasks.size()
                    + " tasks, " + (weights == null ? 0 : weights.size()) + " weights");
        }
        double sum = 0;
        for (int t = 0; t < out.length; t++) {
            Double w = weights.get(t);
            if (w == null || !(w >= 0) || w.isInfinite()) {
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

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private static float[] gather(float[] values, int[] rows) {
        float[] out = new float[rows.length];
        for (int r = 0; r < rows.length; r++) {
            out[r] = values[rows[r]];
        }
        return out;
    }

    private static float[] oneHot(float[] classes, int k) {
        float[] out = new float[classes.length * k];
        for (int r = 0; r < classes.length; r++) {
            int c = (int) classes[r];
            if (c >= 0 && c < k) {
                out[r * k + c] = 1;
            }
        }
        return out;
    }
}
