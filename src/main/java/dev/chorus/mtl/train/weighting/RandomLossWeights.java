package dev.chorus.mtl.train.weighting;

import java.util.SplittableRandom;

/**
 * Random Loss Weighting: Lin et al., "Reasonable Effectiveness of Random Weighting: A Litmus Test
 * for Multi-Task Learning", TMLR 2022, in the form of LibMTL's {@code RLW} (the paper's default).
 *
 * <p>Each step draws {@code lambda_t ~ N(0, 1)} and weighs the tasks by {@code softmax(lambda)}: the
 * weights are positive and sum to 1 (not to the task count, as in the paper and LibMTL).
 *
 * <p>Every step draws one number per task, present or not, from a {@link SplittableRandom} seeded by
 * the seed, so the draws depend only on the seed and the step count; the softmax runs over the present
 * tasks only, and absent tasks get weight 0.
 */
final class RandomLossWeights implements LossWeighting {

    private final SplittableRandom random;

    RandomLossWeights(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public Combination combine(Step step) {
        double[] draws = new double[step.tasks()];
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < draws.length; t++) {
            draws[t] = random.nextGaussian();
            if (step.present()[t]) {
                max = Math.max(max, draws[t]);
            }
        }
        double sum = 0;
        double[] weights = new double[draws.length];
        for (int t = 0; t < draws.length; t++) {
            if (step.present()[t]) {
                weights[t] = Math.exp(draws[t] - max);
                sum += weights[t];
            }
        }
        for (int t = 0; t < weights.length; t++) {
            weights[t] = sum > 0 ? weights[t] / sum : 0;
        }
        return new Combination.Weights(weights);
    }
}
