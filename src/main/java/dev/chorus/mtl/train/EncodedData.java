package dev.chorus.mtl.train;

import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Split;
import java.util.ArrayList;
import java.util.List;

/**
 * A dataset made ready for one model: features standardized with the training split's statistics
 * (a missing cell becomes the training mean, i.e. 0), and for each task a target and a mask. Only the
 * training split's rows inform any statistic.
 *
 * @param rows     rows of the dataset
 * @param width    feature columns
 * @param features {@code rows * width} standardized features, row-major, never NaN
 * @param heads    one per task, in task order
 */
record EncodedData(int rows, int width, float[] features, List<Head> heads) {

    /**
     * One task's training view.
     *
     * @param task    the task
     * @param outputs outputs of its head: 1 for binary and regression, k for k classes
     * @param target  per row: the class index, or the regression label standardized with the training
     *                labels' mean and deviation; its value on an unlabelled row is meaningless (0 here)
     * @param mask    per row: 1 when labelled, 0 when not
     * @param labels  the original labels, NaN when unlabelled, for metrics
     * @param mean    regression only: the training labels' mean (0 otherwise)
     * @param scale   regression only: the training labels' standard deviation (1 otherwise)
     */
    record Head(Task task, int outputs, float[] target, float[] mask, float[] labels, double mean, double scale) {

        /** Maps a head's raw outputs for one row back to the label's units (regression). */
        float unscale(float output) {
            return (float) (output * scale + mean);
        }

        /** This head with {@code target}, as given; for tests that corrupt unlabelled targets. */
        Head withTarget(float[] newTarget) {
            return new Head(task, outputs, newTarget, mask, labels, mean, scale);
        }
    }

    /**
     * Prepares {@code data} for a model of {@code tasks}, with statistics from {@code split.train()}.
     *
     * @throws IllegalArgumentException when a task is not in the dataset or the split names a row
     *                                  outside it
     */
    static EncodedData of(Dataset data, Split split, List<Task> tasks) {
        return of(data, split, tasks, true);
    }

    /**
     * As {@link #of(Dataset, Split, List)}; with {@code standardizeTargets} false, regression losses are
     * taken on the raw labels, so tasks keep their own scales (as in GradNorm's synthetic benchmark).
     */
    static EncodedData of(Dataset data, Split split, List<Task> tasks, boolean standardizeTargets) {
        if (split.size() > 0 && max(split) >= data.rows()) {
            throw new IllegalArgumentException("the split names row " + max(split) + " but dataset '"
                    + data.name() + "' has " + data.rows() + " rows");
        }
        int[] train = split.train();
        int n = data.rows();
        int d = data.featureCount();
        float[] x = data.features();
        for (int j = 0; j < d; j++) {
            double sum = 0;
            double sumSq = 0;
            int count = 0;
            for (int i : train) {
                float v = x[i * d + j];
                if (!Float.isNaN(v)) {
                    sum += v;
                    sumSq += (double) v * v;
                    count++;
                }
            }
            double mean = count == 0 ? 0 : sum / count;
            double var = count == 0 ? 0 : Math.max(0, sumSq / count - mean * mean);
            double sd = var > 1e-12 ? Math.sqrt(var) : 1;
            for (int i = 0; i < n; i++) {
                float v = x[i * d + j];
                x[i * d + j] = Float.isNaN(v) ? 0f : (float) ((v - mean) / sd);
            }
        }
        List<Head> heads = new ArrayList<>();
        for (Task t : tasks) {
            heads.add(head(data, t, train, standardizeTargets));
        }
        return new EncodedData(n, d, x, List.copyOf(heads));
    }

    private static Head head(Dataset data, Task task, int[] train, boolean standardize) {
        float[] labels = data.labels(task.name());
        float[] mask = new float[labels.length];
        float[] target = new float[labels.length];
        double mean = 0;
        double scale = 1;
        if (task.type() == TaskType.REGRESSION && standardize) {
            double sum = 0;
            double sumSq = 0;
            int count = 0;
            for (int i : train) {
                if (!Float.isNaN(labels[i])) {
                    sum += labels[i];
                    sumSq += (double) labels[i] * labels[i];
                    count++;
                }
            }
            mean = count == 0 ? 0 : sum / count;
            double var = count == 0 ? 0 : Math.max(0, sumSq / count - mean * mean);
            scale = var > 1e-12 ? Math.sqrt(var) : 1;
        }
        for (int i = 0; i < labels.length; i++) {
            if (!Float.isNaN(labels[i])) {
                mask[i] = 1;
                target[i] = task.type() == TaskType.REGRESSION ? (float) ((labels[i] - mean) / scale) : labels[i];
            }
        }
        int outputs = switch (task.type()) {
            case BINARY, REGRESSION -> 1;
            case MULTICLASS -> data.classCount(task.name());
        };
        return new Head(task, outputs, target, mask, labels, mean, scale);
    }

    private static int max(Split split) {
        int max = -1;
        for (int[] part : new int[][] {split.train(), split.validation(), split.test()}) {
            for (int i : part) {
                max = Math.max(max, i);
            }
        }
        return max;
    }

    /** The features of {@code rows}, row-major. */
    float[] features(int[] rows) {
        float[] out = new float[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(features, rows[r] * width, out, r * width, width);
        }
        return out;
    }

    /** This data with one head replaced; for tests. */
    EncodedData withHead(int index, Head head) {
        List<Head> copy = new ArrayList<>(heads);
        copy.set(index, head);
        return new EncodedData(rows, width, features, List.copyOf(copy));
    }
}
