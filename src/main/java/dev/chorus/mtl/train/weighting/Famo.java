package dev.chorus.mtl.train.weighting;

import java.util.Arrays;

/**
 * FAMO, Fast Adaptive Multitask Optimization: Liu, Liang, Stone and Liu, "FAMO: Fast Adaptive
 * Multitask Optimization", NeurIPS 2023, following the authors' code as LibMTL's {@code FAMO} carries
 * it.
 *
 * <p>Logits {@code xi} (starting at 0) give task weights {@code z = softmax(xi)}; the model descends
 * {@code sum_t z_t log L_t}, whose gradient is {@code sum_t (z_t / L_t) dL_t}: the loss weights
 * returned are {@code z_t / (c L_t)} with {@code c = sum_t z_t / L_t}, so they sum to 1 (the authors'
 * normalisation, which keeps the step on the scale of one loss). After the optimiser step, {@link
 * #afterStep} gets the same batch's losses again; with {@code delta_t = log L_t(before) - log
 * L_t(after)} the logits take one step of {@link Adam} along {@code d/dxi (z . delta) = z * (delta -
 * z . delta)}, with coupled weight decay {@code gamma}: a task whose log-loss fell less than the
 * weighted average gains weight. Defaults: learning rate 0.025 for the logits (the authors' code and
 * LibMTL), {@code gamma = 0.001} (LibMTL's default and the authors' CelebA, NYUv2 and QM9 runs; their
 * {@code famo.py} defaults to 0.01, used for Cityscapes); the losses' lower bounds are 0 and 1e-8 is
 * added to every loss, as in the code. A loss at or below 0 is clamped to that 1e-8. The authors
 * also clip the shared gradient norm to 1 ({@code max_norm}); that is the trainer's to apply, not
 * done here.
 *
 * @implNote Absent tasks get weight 0 and are left out of the softmax and of the logit update (their
 *     logits and Adam moments do not move). A task whose loss after the step is not finite takes no
 *     part in that update. {@link #afterStep} without a preceding {@link #combine} does nothing.
 */
final class Famo implements LossWeighting {

    /** The paper's learning rate for the logits. */
    static final double LOGIT_LEARNING_RATE = 0.025;
    /** The paper's weight decay for the logits. */
    static final double GAMMA = 1e-3;
    private static final double EPS = 1e-8;

    private final double learningRate;
    private final double gamma;
    private double[] logits;
    private Adam adam;
    private double[] lossesBefore;
    private boolean[] presentBefore;

    Famo(double learningRate, double gamma) {
        this.learningRate = learningRate;
        this.gamma = gamma;
        new Adam(0, learningRate, gamma); // validates both now rather than at the first step
    }

    @Override
    public Combination combine(Step step) {
        int tasks = step.tasks();
        if (logits == null) {
            logits = new double[tasks];
            adam = new Adam(tasks, learningRate, gamma);
        }
        Vectors.checkTasks(tasks, logits.length);
        double[] z = softmax(step.present());
        double c = 0;
        for (int t = 0; t < tasks; t++) {
            if (step.present()[t]) {
                c += z[t] / shifted(step.losses()[t]);
            }
        }
        double[] weights = new double[tasks];
        for (int t = 0; t < tasks; t++) {
            if (step.present()[t]) {
                weights[t] = z[t] / (c * shifted(step.losses()[t]));
            }
        }
        lossesBefore = step.losses().clone();
        presentBefore = step.present().clone();
        return new Combination.Weights(weights);
    }

    @Override
    public boolean needsLossesAfterStep() {
        return true;
    }

    @Override
    public void afterStep(double[] lossesAfter) {
        if (lossesBefore == null) {
            return;
        }
        Vectors.checkTasks(lossesAfter.length, logits.length);
        boolean[] active = presentBefore.clone();
        for (int t = 0; t < active.length; t++) {
            active[t] &= Double.isFinite(lossesAfter[t]) && Double.isFinite(lossesBefore[t]);
        }
        double[] z = softmax(active);
        double[] delta = new double[logits.length];
        double mean = 0;
        for (int t = 0; t < delta.length; t++) {
            if (active[t]) {
                delta[t] = Math.log(shifted(lossesBefore[t])) - Math.log(shifted(lossesAfter[t]));
                mean += z[t] * delta[t];
            }
        }
        double[] gradient = new double[logits.length];
        for (int t = 0; t < gradient.length; t++) {
            gradient[t] = active[t] ? z[t] * (delta[t] - mean) : 0;
        }
        adam.step(logits, gradient, active);
        lossesBefore = null;
        presentBefore = null;
    }

    /** The current logits xi, a copy (null before the first step). */
    double[] logits() {
        return logits == null ? null : logits.clone();
    }

    /** The current softmax weights z over all tasks, a copy (null before the first step). */
    double[] taskWeights() {
        if (logits == null) {
            return null;
        }
        boolean[] all = new boolean[logits.length];
        Arrays.fill(all, true);
        return softmax(all);
    }

    private double[] softmax(boolean[] over) {
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < logits.length; t++) {
            if (over[t]) {
                max = Math.max(max, logits[t]);
            }
        }
        double[] z = new double[logits.length];
        double sum = 0;
        for (int t = 0; t < z.length; t++) {
            if (over[t]) {
                z[t] = Math.exp(logits[t] - max);
                sum += z[t];
            }
        }
        for (int t = 0; t < z.length; t++) {
            z[t] = sum > 0 ? z[t] / sum : 0;
        }
        return z;
    }

    private static double shifted(double loss) {
        return Math.max(loss, 0) + EPS;
    }
}
