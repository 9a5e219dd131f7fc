package dev.chorus.mtl.train.weighting;

import java.util.Arrays;

/**
 * Homoscedastic uncertainty weighting: Kendall, Gal and Cipolla, "Multi-Task Learning Using
 * Uncertainty to Weigh Losses for Scene Geometry and Semantics", CVPR 2018.
 *
 * <p>Each task has a learned log-variance {@code s_t = log sigma_t^2}, and the model minimises
 * {@code sum_t L_t / (2 exp(s_t)) + s_t / 2}, the paper's Gaussian-likelihood form as LibMTL's
 * {@code UW} writes it. So the loss weight is {@code w_t = 1 / (2 exp(s_t))}, and the objective's
 * derivative {@code d/ds_t = 1/2 - L_t / (2 exp(s_t))} vanishes at {@code s_t = log L_t}: a task
 * with a constantly larger loss ends with a smaller weight, {@code 1 / (2 L_t)}.
 *
 * <p>The {@code s_t} start at -0.5 (LibMTL's initialisation, first weight {@code e^0.5 / 2 ≈
 * 0.82}). LibMTL trains them with the model's optimiser; here the strategy steps them itself with
 * that analytic derivative and {@link Adam} at the model's learning rate, once per {@link #combine},
 * after reading the weights of that step (the weights returned are those the model's gradient is
 * taken with, as in LibMTL where both are stepped together).
 *
 * <p>The state is sized by the first step's task count; later steps must have the same count.
 *
 * @implNote Absent tasks get weight 0 and their {@code s_t} and Adam moments are left unchanged.
 */
final class UncertaintyWeights implements LossWeighting {

    /** LibMTL's initial log-variance. */
    static final double INITIAL_LOG_VARIANCE = -0.5;

    private final double learningRate;
    private double[] logVariance;
    private Adam adam;

    UncertaintyWeights(double learningRate) {
        this.learningRate = learningRate;
        new Adam(0, learningRate, 0); // validates the learning rate now rather than at the first step
    }

    @Override
    public Combination combine(Step step) {
        if (logVariance == null) {
            logVariance = new double[step.tasks()];
            Arrays.fill(logVariance, INITIAL_LOG_VARIANCE);
            adam = new Adam(step.tasks(), learningRate, 0);
        }
        Vectors.checkTasks(step.tasks(), logVariance.length);
        double[] weights = new double[step.tasks()];
        double[] gradient = new double[step.tasks()];
        for (int t = 0; t < weights.length; t++) {
            if (step.present()[t]) {
                double w = 1 / (2 * Math.exp(logVariance[t]));
                weights[t] = w;
                gradient[t] = 0.5 - step.losses()[t] * w;
            }
        }
        adam.step(logVariance, gradient, step.present());
        return new Combination.Weights(weights);
    }

    /** The current log-variances {@code s_t}, a copy (null before the first step). */
    double[] logVariances() {
        return logVariance == null ? null : logVariance.clone();
    }
}
