package dev.chorus.mtl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Inter-task lookahead affinity after TAG (Fifty, Amid, Zhao, Yu, Anil, Finn, "Efficiently Identifying
 * Task Groupings for Multi-Task Networks", NeurIPS 2021): how a gradient step on task {@code i} changes
 * the loss of task {@code j}. One hard-sharing model of all tasks (equal weights, no private layers)
 * is trained with the study's settings for a few epochs; on every step, before the step's update, for
 * each task {@code i} labelled in the batch
 * <pre>
 *   theta'_i = theta - eta * dL_i/dtheta           (theta: the shared trunk's parameters)
 *   Z[i][j] += 1 - L_j(theta'_i) / L_j(theta)       for every task j labelled in the batch
 * </pre>
 * on that same batch with the heads unchanged; {@code theta} is then restored bit for bit.
 * {@code Z[i][j]} is the mean over the steps where both were labelled (0 where never). Positive: a step
 * for {@code i} lowers {@code j}'s loss; negative: it raises it. The diagonal is each task's own
 * lookahead gain.
 *
 * <p><b>As in TAG's code</b> (google-research/tag: {@code lookahead} in the Taskonomy trainer,
 * {@code train_step} in the CelebA notebook): the step is taken on the shared parameters only, with
 * the task's gradient from a backward pass of its loss alone, at the run's learning rate
 * ({@code eta}), and the lookahead losses come from a forward pass without gradients; the whole run is
 * averaged. Two differences: TAG steps with its optimiser's own update (SGD with momentum), while
 * Chorus trains with Adam and takes a plain SGD step (Adam's per-parameter scaling and moments are
 * the optimiser's state, not the task's); and TAG divides the gain by its learning rate, a constant
 * factor that changes no ranking, left out here. TAG's Taskonomy trainer measures every 10th batch to
 * save time; these models are small enough to measure every step.
 *
 * <p><b>Cost and signal.</b> A measured step adds one forward pass with gradients, one backward pass
 * per present task (graph kept) and one forward pass without gradients per present task, plus one:
 * the cost grows with the number of tasks. Measured on the synthetic generator (2 clusters of 2 binary
 * tasks + 1 conflicting task, 3000 fully labelled rows, trunk 32 x 2, Adam 0.003, batch 64, 10
 * epochs; {@code TaskAffinityTest}), 2026-11-23 on a shared 2-core machine: 0.6 s to train the model
 * unobserved, 1.6 to 2.3 s measuring every step (about 3 times). The mean affinity within clusters
 * exceeded the mean across clusters for seeds 1, 2 and 7 (0.00061 vs -0.000001, 0.00035 vs -0.00004,
 * 0.00012 vs -0.00003). A step at rate 0.1 (the rate of the earlier lookahead in the shared
 * representation) overshoots: it cuts the task's own loss by 10-15 % at once, and the within-cluster
 * means of the run's second half turned negative (seeds 1 and 7). In {@code GroupingSearchBench}
 * (BENCHMARKS.md) a warm start from this matrix reached a top-5 grouping sooner than plain NSGA-II,
 * but not the single best one.
 *
 * @implNote Deterministic per seed: training is the trainer's deterministic path, and the measurement
 *     restores every parameter exactly and draws no random number, so the model trains exactly as it
 *     would unobserved. Holds the trainer's JVM-wide lock while training.
 */
public final class TaskAffinity {

    private TaskAffinity() {
    }

    /**
     * Trains all {@code tasks} together for {@code epochs} epochs and returns their affinity matrix.
     *
     * @param data     the study's rows, with every task's labels
     * @param split    the rows that train (others only validate, as in any training)
     * @param tasks    at least one, names unique; the matrix's order
     * @param settings width, depth, learning rate and batch size of the model (its epochs are ignored)
     * @param epochs   epochs of the short run (at least 1)
     * @param seed     seeds the run
     * @return {@code Z[i][j]}, the mean lookahead effect of a step on task {@code i} on task {@code j}
     */
    public static double[][] measure(Dataset data, Split split, List<Task> tasks, TrainSettings settings,
                                     int epochs, long seed) {
        Objects.requireNonNull(settings, "settings");
        if (epochs < 1) {
            throw new IllegalArgumentException("affinity epochs must be at least 1, was " + epochs);
        }
        TrainSettings run = new TrainSettings(settings.trunkWidth(), settings.trunkDepth(), settings.learningRate(),
                epochs, settings.batchSize());
        Accumulator accumulator = new Accumulator(tasks.size(), settings.learningRate());
        new MtlTrainer().train(data, split, tasks, ModelSpec.plain(run), seed, accumulator);
        return accumulator.mean();
    }

    /** Takes the lookahead steps and sums their effects. */
    static final class Accumulator implements StepRunner.StepObserver {

        private final double[][] sum;
        private final long[][] count;
        private final double rate;

        /** @param rate {@code eta}, the SGD rate of the lookahead step */
        Accumulator(int tasks, double rate) {
            this.sum = new double[tasks][tasks];
            this.count = new long[tasks][tasks];
            this.rate = rate;
        }

        @Override
        public void observe(int epoch, NDManager scope, Batch batch, MtlNet net, ParameterStore ps) {
            List<NDArray> shared = sharedArrays(net);
            boolean[] present = batch.present();
            NDArray[][] moves = gradientSteps(scope, batch, net, ps, shared);
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(false); // in-place steps on parameters, and forward passes without a graph
            try {
                List<NDArray> saved = new ArrayList<>();
                for (NDArray p : shared) {
                    saved.add(scope.zeros(p.getShape(), p.getDataType()).addi(p));
                }
                double[] before = losses(batch, net, ps);
                for (int i = 0; i < present.length; i++) {
                    if (moves[i] == null) {
                        continue;
                    }
                    for (int k = 0; k < shared.size(); k++) {
                        shared.get(k).subi(moves[i][k]);
                    }
                    double[] after = losses(batch, net, ps);
                    for (int k = 0; k < shared.size(); k++) {
                        shared.get(k).subi(shared.get(k)).addi(saved.get(k)); // exact: x - x = 0, 0 + s = s
                    }
                    for (int j = 0; j < present.length; j++) {
                        if (present[j] && before[j] > 0) {
                            sum[i][j] += 1 - after[j] / before[j];
                            count[i][j]++;
                        }
                    }
                }
            } finally {
                JniUtils.setGradMode(gradMode);
            }
        }

        /** Per present task, {@code eta * dL_i/dtheta} for each shared array; null for an absent task. */
        private NDArray[][] gradientSteps(NDManager scope, Batch batch, MtlNet net, ParameterStore ps,
                                          List<NDArray> shared) {
            boolean[] present = batch.present();
            NDArray[][] moves = new NDArray[present.length][];
            NDArray one = Tensors.scalar(scope, 1);
            NDArray eta = Tensors.scalar(scope, rate);
            try (GradientCollector collector = scope.getEngine().newGradientCollector()) {
                NDArray[] losses = batch.losses(net.forward(ps, new NDList(batch.x()), true));
                shared.forEach(p -> JniUtils.zeroGrad((PtNDArray) p));
                for (int i = 0; i < present.length; i++) {
                    if (!present[i]) {
                        continue;
                    }
                    JniUtils.backward((PtNDArray) losses[i], (PtNDArray) one, true, false);
                    moves[i] = new NDArray[shared.size()];
                    for (int k = 0; k < shared.size(); k++) {
                        try (NDArray grad = shared.get(k).getGradient()) {
                            moves[i][k] = eta.mul(grad); // in scope: eta's manager
                        }
                        JniUtils.zeroGrad((PtNDArray) shared.get(k));
                    }
                }
            }
            return moves;
        }

        private static double[] losses(Batch batch, MtlNet net, ParameterStore ps) {
            NDArray[] losses = batch.losses(net.forward(ps, new NDList(batch.x()), false));
            double[] out = new double[losses.length];
            for (int t = 0; t < out.length; t++) {
                out[t] = losses[t] == null ? 0 : losses[t].getFloat();
            }
            return out;
        }

        double[][] mean() {
            double[][] out = new double[sum.length][sum.length];
            for (int i = 0; i < out.length; i++) {
                for (int j = 0; j < out.length; j++) {
                    out[i][j] = count[i][j] == 0 ? 0 : sum[i][j] / count[i][j];
                }
            }
            return out;
        }
    }

    /** The arrays of the trunk's parameters: every parameter {@link MtlNet#shared} reads in hard sharing. */
    static List<NDArray> sharedArrays(MtlNet net) {
        if (!(net instanceof HardNet)) {
            throw new IllegalArgumentException("the lookahead affinity needs a hard-sharing model, was "
                    + net.getClass().getSimpleName());
        }
        for (Pair<String, Block> child : net.getChildren()) {
            if (child.getKey().endsWith("trunk")) {
                return child.getValue().getParameters().values().stream().map(Parameter::getArray).toList();
            }
        }
        throw new IllegalStateException("hard-sharing model without a trunk block: " + net.getChildren().keys());
    }
}
