package dev.chorus.mtl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Split;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Inter-task lookahead affinity after TAG (Fifty, Amid, Zhao, Yu, Anil, Finn, "Efficiently Identifying
 * Task Groupings for Multi-Task Networks", NeurIPS 2021): how a gradient step on task {@code i} changes
 * the loss of task {@code j}. One hard-sharing model of all tasks (equal weights, no private layers)
 * is trained with the study's settings for a few epochs; at every step, for each task {@code i}
 * labelled in the batch,
 * <pre>
 *   z'_i = z - eta * b * dL_i/dz              (b: the batch's rows)
 *   Z[i][j] += 1 - L_j(heads(z'_i)) / L_j(heads(z))   for every task j labelled in the batch
 * </pre>
 * and {@code Z[i][j]} is the mean over the steps where both were labelled (0 where never). Positive:
 * a step for {@code i} lowers {@code j}'s loss; negative: it raises it. The diagonal is each task's
 * own lookahead gain.
 *
 * <p><b>Representation-space lookahead.</b> TAG takes the lookahead step on the shared
 * <em>parameters</em>, which costs one backward pass through the trunk and one extra forward pass
 * per task. Here the step is taken on the shared representation {@code z}, whose per-task gradients
 * the trainer's gradient path already computes with one backward pass through the heads per task
 * (the same path as the gradient weighting methods, {@link StepRunner}); the lookahead losses are a
 * forward pass of the heads only, outside training mode, and never back-propagated. To first order
 * both measure the alignment of task gradients, here the alignment in {@code z}.
 *
 * <p><b>Lookahead rate.</b> {@code dL_i/dz} is the gradient of a batch-mean loss, so each row's part
 * is its own loss gradient divided by {@code b}; the step {@code eta * b * dL_i/dz} moves each row by
 * {@value #LOOKAHEAD_RATE} times its own loss gradient, independent of the batch size and of the
 * optimiser's (Adam) learning rate, which scales parameter steps, not representation steps.
 *
 * <p><b>Run length.</b> Measured on the synthetic generator (2 clusters of 2 binary tasks + 1
 * conflicting task, 3000 fully labelled rows, trunk 32 x 2, Adam 0.003, batch 64): averaging every
 * step of 10 epochs, the mean affinity within clusters exceeded the mean across clusters for seeds 1,
 * 2 and 7 (0.0023 vs 0.0003, 0.0085 vs -0.0005, 0.0017 vs 0.00002), but not after 3 epochs for seeds
 * 1 and 7. Early on the randomly initialised heads of related tasks can read {@code z} in opposite
 * directions, so their representation gradients conflict until training aligns the heads: only the
 * second half of the run is averaged (seeds 2 and 7 then: 0.0080 vs -0.0001, 0.0022 vs 0.00003).
 *
 * @implNote Deterministic per seed: training is the trainer's deterministic path and the
 *     measurement does not change the model. Holds the trainer's JVM-wide lock while training.
 */
public final class TaskAffinity {

    /** {@code eta}: the step on each row's representation, in units of its own loss gradient. */
    public static final double LOOKAHEAD_RATE = 0.1;

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
        Accumulator accumulator = new Accumulator(tasks.size());
        new MtlTrainer().train(data, split, tasks, ModelSpec.plain(run), seed, accumulator.from(epochs / 2));
        return accumulator.mean();
    }

    /** Sums the lookahead effects step by step. */
    static final class Accumulator implements StepRunner.StepObserver {

        private final double[][] sum;
        private final long[][] count;
        private int firstEpoch;

        Accumulator(int tasks) {
            sum = new double[tasks][tasks];
            count = new long[tasks][tasks];
        }

        /**
         * Counts only steps from {@code epoch} on: while the task heads are still near their random
         * initialisation, a lookahead step's effect says more about the heads than about the tasks.
         */
        Accumulator from(int epoch) {
            this.firstEpoch = epoch;
            return this;
        }

        @Override
        public void observe(int epoch, NDManager scope, Batch batch, NDArray z, double[][] gradients, double[] losses,
                            Function<NDArray, double[]> lossesAt) {
            if (epoch < firstEpoch) {
                return;
            }
            boolean[] present = batch.present();
            float[] base = z.toFloatArray();
            double rate = LOOKAHEAD_RATE * z.getShape().get(0);
            for (int i = 0; i < present.length; i++) {
                if (!present[i]) {
                    continue;
                }
                float[] moved = new float[base.length];
                for (int k = 0; k < base.length; k++) {
                    moved[k] = (float) (base[k] - rate * gradients[i][k]);
                }
                double[] after = lossesAt.apply(Tensors.of(scope, moved, z.getShape()));
                for (int j = 0; j < present.length; j++) {
                    if (present[j] && losses[j] > 0) {
                        sum[i][j] += 1 - after[j] / losses[j];
                        count[i][j]++;
                    }
                }
            }
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
}
