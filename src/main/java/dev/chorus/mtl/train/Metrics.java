package dev.chorus.mtl.train;

import dev.chorus.mtl.Metric;
import java.util.Arrays;
import java.util.Objects;

/**
 * Computes every {@link Metric} in plain Java. Rows whose label is {@link Float#NaN} (unlabelled)
 * are skipped; a metric over no labelled row is {@link Double#NaN}. Stateless and thread-safe.
 *
 * <p>NaN in, NaN out: when a labelled row's output (probability, score, prediction or predicted
 * class) is NaN, every metric is {@link Double#NaN}. A NaN probability never counts as class 0, and
 * a NaN score never ranks. Each method answers in time linear in the rows (AUC: {@code n log n}),
 * whatever the values. The outputs of unlabelled rows are not read.
 *
 * <p>Conventions (those of scikit-learn): classification labels are class indices stored as floats;
 * F1 counts class 1 as positive and is 0 when there is no true positive; macro F1 averages the
 * per-class F1 over the classes that occur in the labels or the predictions; AUC is rank-based
 * (Mann-Whitney U, ties count one half) and is NaN when the labelled rows hold a single class; log
 * loss is the mean of {@code -ln p} of each row's true class, with {@code p} clipped to
 * {@code [1e-15, 1 - 1e-15]} so that one confident mistake costs about 34.5, not infinity; R²
 * is 1 for a perfect fit of constant labels and 0 for an imperfect one.
 */
public final class Metrics {

    private Metrics() {
    }

    /**
     * Computes {@code metric} from a model's outputs.
     *
     * @param labels  one label per row, NaN when unlabelled
     * @param outputs row-major, {@code width} values per row: for a binary task (width 1) the
     *                probability of class 1 (thresholded at 0.5 for accuracy and F1); for a
     *                multiclass task (width k) a score per class (the largest wins); for a regression
     *                task (width 1) the prediction
     * @param width   outputs per row
     */
    public static double compute(Metric metric, float[] labels, float[] outputs, int width) {
        Objects.requireNonNull(metric, "metric");
        if (width < 1 || outputs.length != labels.length * width) {
            throw new IllegalArgumentException(outputs.length + " outputs do not match " + labels.length
                    + " rows of width " + width);
        }
        return switch (metric) {
            case ACCURACY -> accuracy(labels, predictedClasses(outputs, width));
            case AUC -> {
                requireWidth(metric, width);
                yield auc(labels, outputs);
            }
            case F1 -> f1(labels, predictedClasses(outputs, width));
            case MACRO_F1 -> macroF1(labels, predictedClasses(outputs, width));
            case LOG_LOSS -> logLoss(labels, outputs, width);
            case RMSE -> rmse(labels, regression(metric, outputs, width));
            case MAE -> mae(labels, regression(metric, outputs, width));
            case R2 -> r2(labels, regression(metric, outputs, width));
        };
    }

    /**
     * The class each row predicts: {@code p >= 0.5} for width 1 (a probability), the arg-max (first
     * on ties) otherwise; NaN for a row whose outputs hold NaN.
     */
    public static float[] predictedClasses(float[] outputs, int width) {
        float[] classes = new float[outputs.length / width];
        for (int i = 0; i < classes.length; i++) {
            if (width == 1) {
                classes[i] = Float.isNaN(outputs[i]) ? Float.NaN : outputs[i] >= 0.5f ? 1 : 0;
            } else {
                int best = 0;
                boolean nan = Float.isNaN(outputs[i * width]);
                for (int k = 1; k < width; k++) {
                    nan |= Float.isNaN(outputs[i * width + k]);
                    if (outputs[i * width + k] > outputs[i * width + best]) {
                        best = k;
                    }
                }
                classes[i] = nan ? Float.NaN : best;
            }
        }
        return classes;
    }

    /** Share of labelled rows whose predicted class equals the label; NaN if one's prediction is NaN. */
    public static double accuracy(float[] labels, float[] predicted) {
        if (nanWhereLabelled(labels, predicted)) {
            return Double.NaN;
        }
        int n = 0;
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            if (!Float.isNaN(labels[i])) {
                n++;
                right += labels[i] == predicted[i] ? 1 : 0;
            }
        }
        return n == 0 ? Double.NaN : (double) right / n;
    }

    /**
     * Area under the ROC curve of {@code scores} for labels 0/1, ties counted one half; NaN if a
     * labelled row's score is NaN.
     */
    public static double auc(float[] labels, float[] scores) {
        if (nanWhereLabelled(labels, scores)) {
            return Double.NaN; // and the tie loop below needs scores equal to themselves to advance
        }
        int n = 0;
        for (float l : labels) {
            n += Float.isNaN(l) ? 0 : 1;
        }
        float[][] rows = new float[n][];
        int r = 0;
        for (int i = 0; i < labels.length; i++) {
            if (!Float.isNaN(labels[i])) {
                rows[r++] = new float[] {scores[i], labels[i]};
            }
        }
        Arrays.sort(rows, (a, b) -> Float.compare(a[0], b[0]));
        double positiveRankSum = 0;
        long positives = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && rows[j][0] == rows[i][0]) {
                j++;
            }
            double midRank = (i + 1 + j) / 2.0; // ranks i+1..j share their mean
            for (int k = i; k < j; k++) {
                if (rows[k][1] == 1) {
                    positiveRankSum += midRank;
                    positives++;
                }
            }
            i = j;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * Mean cross-entropy: for width 1 {@code outputs} are probabilities of class 1, otherwise each row's
     * {@code width} class probabilities (a softmax); NaN if a labelled row's output is NaN.
     */
    public static double logLoss(float[] labels, float[] outputs, int width) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (Float.isNaN(labels[i])) {
                continue;
            }
            int label = (int) labels[i];
            double p;
            if (width == 1) {
                p = label == 1 ? outputs[i] : 1.0 - outputs[i];
            } else if (label >= 0 && label < width) {
                p = outputs[i * width + label];
            } else {
                throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is not one of the "
                        + width + " classes");
            }
            if (Double.isNaN(p)) {
                return Double.NaN;
            }
            sum -= Math.log(Math.min(Math.max(p, 1e-15), 1 - 1e-15));
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** F1 of class 1; NaN if a labelled row's prediction is NaN. */
    public static double f1(float[] labels, float[] predicted) {
        return nanWhereLabelled(labels, predicted) ? Double.NaN : classF1(labels, predicted, 1);
    }

    /**
     * Mean F1 over the classes present in the labelled rows' labels or predictions; NaN if a labelled
     * row's prediction is NaN.
     */
    public static double macroF1(float[] labels, float[] predicted) {
        if (nanWhereLabelled(labels, predicted)) {
            return Double.NaN;
        }
        int max = -1;
        for (int i = 0; i < labels.length; i++) {
            if (!Float.isNaN(labels[i])) {
                max = Math.max(max, (int) Math.max(labels[i], predicted[i]));
            }
        }
        if (max < 0) {
            return Double.NaN;
        }
        boolean[] present = new boolean[max + 1];
        for (int i = 0; i < labels.length; i++) {
            if (!Float.isNaN(labels[i])) {
                present[(int) labels[i]] = true;
                present[(int) predicted[i]] = true;
            }
        }
        double sum = 0;
        int classes = 0;
        for (int c = 0; c <= max; c++) {
            if (present[c]) {
                sum += classF1(labels, predicted, c);
                classes++;
            }
        }
        return sum / classes;
    }

    private static double classF1(float[] labels, float[] predicted, int positive) {
        int n = 0;
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int i = 0; i < labels.length; i++) {
            if (Float.isNaN(labels[i])) {
                continue;
            }
            n++;
            boolean isPositive = labels[i] == positive;
            boolean saysPositive = predicted[i] == positive;
            tp += isPositive && saysPositive ? 1 : 0;
            fp += !isPositive && saysPositive ? 1 : 0;
            fn += isPositive && !saysPositive ? 1 : 0;
        }
        if (n == 0) {
            return Double.NaN;
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /** Root mean squared error (NaN if a labelled row's prediction is NaN, as in the two below). */
    public static double rmse(float[] labels, float[] predictions) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (!Float.isNaN(labels[i])) {
                double e = (double) predictions[i] - labels[i];
                sum += e * e;
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.sqrt(sum / n);
    }

    /** Mean absolute error. */
    public static double mae(float[] labels, float[] predictions) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (!Float.isNaN(labels[i])) {
                sum += Math.abs((double) predictions[i] - labels[i]);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Coefficient of determination, {@code 1 - SS_res / SS_tot}. */
    public static double r2(float[] labels, float[] predictions) {
        double mean = 0;
        int n = 0;
        for (float l : labels) {
            if (!Float.isNaN(l)) {
                mean += l;
                n++;
            }
        }
        if (n == 0 || nanWhereLabelled(labels, predictions)) {
            return Double.NaN;
        }
        mean /= n;
        double residual = 0;
        double total = 0;
        for (int i = 0; i < labels.length; i++) {
            if (!Float.isNaN(labels[i])) {
                double e = (double) labels[i] - predictions[i];
                double m = labels[i] - mean;
                residual += e * e;
                total += m * m;
            }
        }
        if (total == 0) {
            return residual == 0 ? 1 : 0;
        }
        return 1 - residual / total;
    }

    /** Whether a row with a label has a NaN value. */
    private static boolean nanWhereLabelled(float[] labels, float[] values) {
        for (int i = 0; i < labels.length; i++) {
            if (!Float.isNaN(labels[i]) && Float.isNaN(values[i])) {
                return true;
            }
        }
        return false;
    }

    private static void requireWidth(Metric metric, int width) {
        if (width != 1) {
            throw new IllegalArgumentException(metric.id() + " needs one output per row (a probability or a"
                    + " prediction), got " + width);
        }
    }

    private static float[] regression(Metric metric, float[] outputs, int width) {
        requireWidth(metric, width);
        return outputs;
    }
}
