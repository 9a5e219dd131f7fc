package dev.chorus.mtl.train.weighting;

import dev.chorus.mtl.train.weighting.LossWeighting.Combination;
import dev.chorus.mtl.train.weighting.LossWeighting.Step;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Builders for the weighting tests. */
final class Steps {

    private Steps() {
    }

    static boolean[] all(int tasks) {
        boolean[] present = new boolean[tasks];
        Arrays.fill(present, true);
        return present;
    }

    static Step losses(double... losses) {
        return new Step(losses, all(losses.length), null, 0, 0);
    }

    static Step gradients(double[] losses, double[]... gradients) {
        return new Step(losses, all(losses.length), gradients, 0, 0);
    }

    static Step gradients(double[][] gradients) {
        double[] losses = new double[gradients.length];
        Arrays.fill(losses, 1.0);
        return gradients(losses, gradients);
    }

    static double[] weights(Combination combination) {
        return ((Combination.Weights) combination).weights();
    }

    static double[] gradient(Combination combination) {
        return ((Combination.SharedGradient) combination).gradient();
    }

    static double[][] randomGradients(SplittableRandom random, int tasks, int dim) {
        double[][] g = new double[tasks][dim];
        for (double[] row : g) {
            for (int i = 0; i < dim; i++) {
                row[i] = random.nextGaussian();
            }
        }
        return g;
    }

    static double sum(double[] values) {
        return Arrays.stream(values).sum();
    }
}
