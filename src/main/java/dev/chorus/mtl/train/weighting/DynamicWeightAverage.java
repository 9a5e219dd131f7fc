package dev.chorus.mtl.train.weighting;

import java.util.Arrays;

/**
 * Dynamic Weight Average: Liu, Johns and Davison, "End-to-End Multi-Task Learning with Attention",
 * CVPR 2019, as in the authors' MTAN code and LibMTL's {@code DWA}.
 *
 * <p>For the first two epochs every task weighs 1. From then on, with {@code L_t(e)} the task's mean
 * training loss over epoch {@code e} (reported by {@link #endEpoch}), the relative descending rate
 * {@code r_t = L_t(e-1) / L_t(e-2)} gives {@code w_t = K exp(r_t / T) / sum_k exp(r_k / T)} with
 * temperature {@code T = 2} (the paper's value) and {@code K} tasks: the weights sum to the task count,
 * and a task whose loss fell less (larger {@code r_t}) weighs more.
 *
 * <p>Deviation for sparse labels, which the paper does not meet: a task without a finite, positive
 * mean loss in either of the last two epochs has no rate; it weighs 1 and the softmax runs over the
 * other tasks, scaled to their count. A task absent from a batch gets weight 0 for that batch.
 */
final class DynamicWeightAverage implements LossWeighting {

    /** The paper's softmax temperature. */
    static final double TEMPERATURE = 2.0;

    private final double temperature;
    private double[] previous;
    private double[] last;

    DynamicWeightAverage(double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, was " + temperature);
        }
        this.temperature = temperature;
    }

    @Override
    public Combination combine(Step step) {
        double[] weights = epochWeights(step.tasks());
        for (int t = 0; t < weights.length; t++) {
            if (!step.present()[t]) {
                weights[t] = 0;
            }
        }
        return new Combination.Weights(weights);
    }

    @Override
    public void endEpoch(double[] meanLosses) {
        previous = last;
        last = meanLosses.clone();
    }

    /** The weights for the current epoch, before absent tasks are zeroed. */
    private double[] epochWeights(int tasks) {
        double[] weights = new double[tasks];
        Arrays.fill(weights, 1.0);
        if (previous == null) {
            return weights;
        }
        Vectors.checkTasks(last.length, tasks);
        Vectors.checkTasks(previous.length, tasks);
        boolean[] rated = new boolean[tasks];
        double[] rate = new double[tasks];
        int count = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < tasks; t++) {
            rated[t] = usable(previous[t]) && usable(last[t]);
            if (rated[t]) {
                rate[t] = last[t] / previous[t] / temperature;
                max = Math.max(max, rate[t]);
                count++;
            }
        }
        double sum = 0;
        for (int t = 0; t < tasks; t++) {
            if (rated[t]) {
                rate[t] = Math.exp(rate[t] - max);
                sum += rate[t];
            }
        }
        for (int t = 0; t < tasks; t++) {
            if (rated[t]) {
                weights[t] = count * rate[t] / sum;
            }
        }
        return weights;
    }

    private static boolean usable(double meanLoss) {
        return Double.isFinite(meanLoss) && meanLoss > 0;
    }
}
