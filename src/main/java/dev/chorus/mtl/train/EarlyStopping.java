package dev.chorus.mtl.train;

import dev.chorus.mtl.Task;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Early stopping on the validation metric. An epoch's score is the mean over the scored tasks of the
 * direction-adjusted ({@link dev.chorus.mtl.Direction#sign()}) validation metric relative to the
 * task's first finite value, {@code sign * (v - v0) / |v0|} (the Δm of the epoch against the first
 * one, so that an RMSE in a label's units does not outweigh an accuracy), tasks whose metric is NaN
 * left out. An epoch is the new best when its score exceeds the best so far; while no epoch has
 * had a finite score, every epoch is the new best (so a model without validation rows trains to the
 * end and is scored at its last epoch). Training stops after {@link #patience(int)} epochs without a
 * new best. Mutable, one per model.
 */
final class EarlyStopping {

    private final List<Task> tasks;
    private final Map<String, Double> first = new HashMap<>();
    private final int patience;
    private int epochs;
    private int best = -1;
    private double bestScore = Double.NaN;

    /**
     * @param tasks     the tasks whose validation metric counts (not those a model does not train,
     *                  such as a task of fixed weight 0)
     * @param maxEpochs the settings' epochs
     */
    EarlyStopping(List<Task> tasks, int maxEpochs) {
        this.tasks = List.copyOf(tasks);
        this.patience = patience(maxEpochs);
    }

    /** {@code max(3, epochs / 4)}. */
    static int patience(int maxEpochs) {
        return Math.max(3, maxEpochs / 4);
    }

    /** The mean relative direction-adjusted change since the first finite values; NaN if none. */
    private double score(Map<String, Double> metrics) {
        double sum = 0;
        int n = 0;
        for (Task t : tasks) {
            Double v = metrics.get(t.name());
            if (v != null && !v.isNaN()) {
                double v0 = first.computeIfAbsent(t.name(), k -> v);
                sum += t.direction().sign() * (v - v0) / (v0 == 0 ? 1 : Math.abs(v0));
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Records the next epoch's validation metrics; true when it is the new best. */
    boolean record(Map<String, Double> validation) {
        double score = score(validation);
        int epoch = epochs++;
        if (best < 0 || Double.isNaN(bestScore) || score > bestScore) {
            best = epoch;
            bestScore = score;
            return true;
        }
        return false;
    }

    /** Whether {@link #patience} epochs have passed since the best one. */
    boolean exhausted() {
        return epochs - 1 - best >= patience;
    }

    int best() {
        return best;
    }

    int epochs() {
        return epochs;
    }
}
