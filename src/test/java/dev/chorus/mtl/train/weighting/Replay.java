package dev.chorus.mtl.train.weighting;

import dev.chorus.mtl.train.weighting.LossWeighting.Step;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Replays the random draws of {@link RandomLossWeights} and {@link PcGrad} from the same seed, as their
 * javadoc says they draw, and checks each replay against the class's own result: the golden file hands
 * these draws to Python, whose generator is not Java's.
 */
final class Replay {

    private final SplittableRandom random;

    Replay(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** This step's Gaussian draws, one per task, after checking that their softmax is {@code weights}. */
    double[] rlw(Step step, double[] weights) {
        double[] draws = new double[step.tasks()];
        for (int t = 0; t < draws.length; t++) {
            draws[t] = random.nextGaussian();
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < draws.length; t++) {
            max = step.present()[t] ? Math.max(max, draws[t]) : max;
        }
        double[] expected = new double[draws.length];
        double sum = 0;
        for (int t = 0; t < draws.length; t++) {
            expected[t] = step.present()[t] ? Math.exp(draws[t] - max) : 0;
            sum += expected[t];
        }
        for (int t = 0; t < draws.length; t++) {
            expected[t] /= sum;
        }
        check("RandomLossWeights", expected, weights);
        return draws;
    }

    /**
     * This step's orders, one permutation of the present tasks (indices among them) per present task,
     * after checking that the surgery on them gives {@code gradient}.
     */
    int[][] pcGrad(Step step, double[] gradient) {
        int[] tasks = Vectors.presentTasks(step.present());
        int n = tasks.length;
        int[][] orders = new int[n][];
        for (int i = 0; i < n; i++) {
            orders[i] = PcGrad.permutation(n, random);
        }
        if (n > 0) {
            check("PcGrad", PcGrad.surgery(Vectors.presentRows(step, tasks), orders), gradient);
        }
        return orders;
    }

    private static void check(String what, double[] replayed, double[] actual) {
        if (!Arrays.equals(replayed, actual)) {
            throw new IllegalStateException(what + " no longer draws as replayed: " + Arrays.toString(replayed)
                    + " != " + Arrays.toString(actual) + "; update Replay to the class's draws");
        }
    }
}
