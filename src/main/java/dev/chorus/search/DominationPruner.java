package dev.chorus.search;

import java.util.List;

/** See {@link Pruner#paretoDominated}. */
final class DominationPruner implements Pruner {

    private final int dominatedBy;
    private final int warmupSteps;

    DominationPruner(int dominatedBy, int warmupSteps) {
        if (dominatedBy < 1 || warmupSteps < 0) {
            throw new IllegalArgumentException("dominatedBy must be >= 1 and warmupSteps >= 0");
        }
        this.dominatedBy = dominatedBy;
        this.warmupSteps = warmupSteps;
    }

    @Override
    public boolean prune(int step, List<double[]> current, List<List<double[]>> others) {
        if (step < warmupSteps) {
            return false;
        }
        double[] mine = finite(current.get(step));
        int dominating = 0;
        for (List<double[]> curve : others) {
            if (curve.size() > step && Pareto.dominates(finite(curve.get(step)), mine) && ++dominating >= dominatedBy) {
                return true;
            }
        }
        return false;
    }

    /** NaN (a task without validation rows) compares as the worst value. */
    private static double[] finite(double[] values) {
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            if (Double.isNaN(out[i])) {
                out[i] = Double.NEGATIVE_INFINITY;
            }
        }
        return out;
    }
}
