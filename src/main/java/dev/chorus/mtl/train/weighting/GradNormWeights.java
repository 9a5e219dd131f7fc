package dev.chorus.mtl.train.weighting;

import java.util.Arrays;

/**
 * GradNorm: Chen, Badrinarayanan, Lee and Rabinovich, "GradNorm: Gradient Normalization for Adaptive
 * Loss Balancing in Deep Multitask Networks", ICML 2018.
 *
 * <p>Learnable loss weights {@code w_t}, starting at 1. At each step, with {@code g_t} the task's
 * gradient, {@code G_t = ||w_t g_t||}, {@code Gbar} their mean, {@code Ltilde_t = L_t / L_t(0)} the
 * inverse training rate and {@code r_t = Ltilde_t / mean(Ltilde)}, the weights descend the GradNorm
 * loss {@code sum_t |G_t - Gbar r_t^alpha|}, whose target {@code Gbar r_t^alpha} is held constant as
 * in the paper, so {@code dL_grad/dw_t = sign(G_t - target_t) ||g_t||}. The step is {@link Adam} at the
 * model's learning rate on the weights themselves, after which they are renormalised to sum to the task
 * count, as in the paper. The weights returned are those before the
 * update, the ones the model's gradient of this step is taken with. Default {@code alpha = 1.5}
 * (LibMTL's default, within the paper's range).
 *
 * <p>Deviations, stated: {@code g_t} is the gradient with respect to the shared representation z
 * rather than the last shared layer's weights (the paper's choice; z is its output, so this is the
 * same idea one step further); {@code L_t(0)} is the task's loss at the first step it is present
 * (LibMTL uses the first epoch's mean loss and keeps equal weights during that epoch); weights are
 * floored at {@value #FLOOR} before renormalising so that a large learning rate cannot flip their sign.
 * LibMTL instead learns logits {@code l} with {@code w = T softmax(l)} (starting at equal logits), a
 * parameter of its model stepped by the model's own optimiser; the derivative with respect to the
 * weights is the same ({@link #lossGradient}, checked against LibMTL in {@code LibMtlReferenceTest}),
 * but Adam on logits and Adam on renormalised weights give different weights from the first update on.
 * LibMTL's representation mode sums {@code dL_t/dz} over the batch before taking norms; here
 * {@code ||g_t||} is the norm of the whole batch's flattened {@code dL_t/dz}.
 *
 * @implNote Absent tasks get weight 0 and keep their weight and Adam moments; the renormalisation
 *     rescales the present tasks' weights to the sum they had before the update, so the total stays the
 *     task count and absent tasks' weights do not move. A task whose initial loss is not positive is
 *     left out of the update.
 */
final class GradNormWeights implements LossWeighting {

    /** LibMTL's default restoring force. */
    static final double ALPHA = 1.5;
    static final double FLOOR = 1e-6;

    private final double alpha;
    private final double learningRate;
    private double[] weights;
    private double[] initialLoss;
    private Adam adam;

    GradNormWeights(double alpha, double learningRate) {
        if (!(alpha >= 0)) {
            throw new IllegalArgumentException("alpha must be >= 0, was " + alpha);
        }
        this.alpha = alpha;
        this.learningRate = learningRate;
        new Adam(0, learningRate, 0); // validates the learning rate now rather than at the first step
    }

    @Override
    public boolean needsGradients() {
        return true;
    }

    @Override
    public Combination combine(Step step) {
        int tasks = step.tasks();
        if (weights == null) {
            weights = new double[tasks];
            Arrays.fill(weights, 1.0);
            initialLoss = new double[tasks];
            Arrays.fill(initialLoss, Double.NaN);
            adam = new Adam(tasks, learningRate, 0);
        }
        Vectors.checkTasks(tasks, weights.length);
        double[] out = new double[tasks];
        for (int t = 0; t < tasks; t++) {
            if (step.present()[t]) {
                out[t] = weights[t];
                if (Double.isNaN(initialLoss[t])) {
                    initialLoss[t] = step.losses()[t];
                }
            }
        }
        update(step);
        return new Combination.Weights(out);
    }

    private void update(Step step) {
        int tasks = step.tasks();
        boolean[] active = new boolean[tasks];
        for (int t = 0; t < tasks; t++) {
            active[t] = step.present()[t] && initialLoss[t] > 0 && Double.isFinite(step.losses()[t]);
        }
        int[] idx = Vectors.presentTasks(active);
        if (idx.length < 2) {
            return;
        }
        double[][] rows = Vectors.presentRows(step, idx);
        int n = idx.length;
        double[] w = new double[n];
        double[] gradNorm = new double[n];
        double[] losses = new double[n];
        double[] initial = new double[n];
        double before = 0;
        for (int k = 0; k < n; k++) {
            int t = idx[k];
            w[k] = weights[t];
            gradNorm[k] = Vectors.norm(rows[k]);
            losses[k] = step.losses()[t];
            initial[k] = initialLoss[t];
            before += weights[t];
        }
        double[] partial = lossGradient(w, gradNorm, losses, initial, alpha);
        if (partial == null) {
            return;
        }
        double[] gradient = new double[tasks];
        for (int k = 0; k < n; k++) {
            gradient[idx[k]] = partial[k];
        }
        adam.step(weights, gradient, active);
        double after = 0;
        for (int t : idx) {
            weights[t] = Math.max(weights[t], FLOOR);
            after += weights[t];
        }
        for (int t : idx) {
            weights[t] *= before / after;
        }
    }

    /**
     * The derivative of the GradNorm loss {@code sum_t |w_t ||g_t|| - Gbar r_t^alpha|} with respect to
     * the weights, the target held constant: {@code sign(w_t ||g_t|| - target_t) ||g_t||}, for the
     * tasks taking part; null when the mean inverse training rate is not positive.
     */
    static double[] lossGradient(double[] weights, double[] gradNorms, double[] losses, double[] initialLosses,
            double alpha) {
        int n = weights.length;
        double meanG = 0;
        double meanRatio = 0;
        for (int k = 0; k < n; k++) {
            meanG += weights[k] * gradNorms[k] / n;
            meanRatio += losses[k] / initialLosses[k] / n;
        }
        if (!(meanRatio > 0)) {
            return null;
        }
        double[] gradient = new double[n];
        for (int k = 0; k < n; k++) {
            double target = meanG * Math.pow(losses[k] / initialLosses[k] / meanRatio, alpha);
            gradient[k] = Math.signum(weights[k] * gradNorms[k] - target) * gradNorms[k];
        }
        return gradient;
    }

    /** The current learned weights, a copy (null before the first step). */
    double[] weights() {
        return weights == null ? null : weights.clone();
    }
}
