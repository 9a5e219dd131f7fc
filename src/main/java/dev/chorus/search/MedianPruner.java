package dev.chorus.search;

import java.util.ArrayList;
import java.util.List;

/** See {@link Pruner#median}. */
final class MedianPruner implements Pruner {

    private final int startupTrials;
    private final int warmupSteps;

    MedianPruner(int startupTrials, int warmupSteps) {
        if (startupTrials < 1 || warmupSteps < 0) {
            throw new IllegalArgumentException("startupTrials must be >= 1 and warmupSteps >= 0");
        }
        this.startupTrials = startupTrials;
        this.warmupSteps = warmupSteps;
    }

    @Override
    public boolean prune(int step, List<double[]> current, List<List<double[]>> others) {
        if (step < warmupSteps) {
            return false;
        }
        List<Double> atStep = new ArrayList<>();
        for (List<double[]> curve : others) {
            if (curve.size() > step) {
                atStep.add(mean(curve.get(step)));
            }
        }
        if (atStep.size() < startupTrials) {
            return false;
        }
        atStep.sort(Double::compare);
        int n = atStep.size();
        double median = n % 2 == 1 ? atStep.get(n / 2) : (atStep.get(n / 2 - 1) + atStep.get(n / 2)) / 2;
        return mean(current.get(step)) < median;
    }

    /** The mean of a step's per-task values; NaN values (a task without validation rows) are left out. */
    static double mean(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
