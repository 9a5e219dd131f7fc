package dev.chorus.mtl.train;

import dev.chorus.mtl.TaskType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Tells when one model's training has diverged, so that {@link MtlTrainer#train} throws
 * {@link TrainingDivergedException} instead of returning the metrics of a broken model. There are
 * three rules:
 * <ul>
 *   <li>a task's mean training loss over a batch is NaN or infinite ({@link #checkLoss}, every step);
 *   <li>a head outputs NaN or infinity for a validation or test row ({@link #checkOutputs}, before
 *       any metric is computed);
 *   <li>a head's validation outputs are the same for every row in every epoch after the first, in a
 *       run of at least two epochs ({@link #observe} after each epoch, {@link #checkCollapse} at the
 *       end). The first epoch is exempt. A network that recovers later is fine, and so is one that
 *       collapses after it has learned: its best epoch is the one reported.
 * </ul>
 *
 * <p>The same output for every row means the activated outputs that the metrics see. For binary
 * tasks that is the sigmoid probability, not the thresholded class, so a model that predicts the
 * majority class with probabilities that vary from row to row is fine. For multiclass tasks it is
 * the whole probability vector, and for regression the prediction, in the units the head is trained
 * in. Two values are the same when they differ by at most {@value #TOLERANCE}, relative to the
 * larger magnitude for regression (and absolute below magnitude 1). A network whose ReLUs are all
 * dead gives exactly the same output for every row; a trained one, even on a hard task, differs by
 * far more. The rule is only applied when the validation rows hold at least two different feature
 * vectors: identical inputs give identical outputs.
 *
 * @implNote Mutable, one per model and training run; not thread-safe.
 */
final class Divergence {

    static final double TOLERANCE = 1e-6;

    private final List<EncodedData.Head> heads;
    private final boolean distinctInputs;
    private final boolean[] observed;
    private final boolean[] varied;
    private final String[] sameOutput;
    private int rows;
    private int epochs;

    /**
     * @param data       the model's data
     * @param validation the validation rows, whose outputs {@link #observe} is shown
     */
    Divergence(EncodedData data, int[] validation) {
        this.heads = data.heads();
        this.distinctInputs = distinct(data, validation);
        this.observed = new boolean[heads.size()];
        this.varied = new boolean[heads.size()];
        this.sameOutput = new String[heads.size()];
    }

    /**
     * Throws when {@code loss}, a present task's mean training loss over one batch, is NaN or
     * infinite.
     *
     * @param epoch 0-based
     * @param step  0-based step since training began
     */
    static void checkLoss(EncodedData.Head head, double loss, int epoch, long step) {
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException("diverged: task '" + head.task().name() + "' has a training loss of "
                    + loss + " in epoch " + (epoch + 1) + " (step " + (step + 1) + ")");
        }
    }

    /**
     * Throws when a row of {@code outputs} holds NaN or infinity.
     *
     * @param outputs the head's raw outputs (logits, or the prediction), {@code head.outputs()} per row
     * @param split   {@code "validation"} or {@code "test"}, for the message
     * @param epoch   0-based epoch after which the outputs were computed
     */
    static void checkOutputs(EncodedData.Head head, float[] outputs, String split, int epoch) {
        int width = head.outputs();
        int bad = 0;
        boolean nan = false;
        for (int r = 0; r < outputs.length / width; r++) {
            boolean rowBad = false;
            for (int k = 0; k < width; k++) {
                float v = outputs[r * width + k];
                nan |= Float.isNaN(v);
                rowBad |= !Float.isFinite(v);
            }
            bad += rowBad ? 1 : 0;
        }
        if (bad > 0) {
            throw new TrainingDivergedException("diverged: task '" + head.task().name() + "' outputs "
                    + (nan ? "NaN" : "infinity") + " for " + bad + " of " + outputs.length / width + " " + split
                    + " rows after epoch " + (epoch + 1));
        }
    }

    /**
     * Records whether head {@code h}'s outputs for the validation rows after epoch {@code epoch}
     * (0-based, in order, each once) were the same for every row.
     *
     * @param outputs the head's activated outputs, {@code heads.get(h).outputs()} per row, finite
     */
    void observe(int h, float[] outputs, int epoch) {
        epochs = Math.max(epochs, epoch + 1);
        EncodedData.Head head = heads.get(h);
        int width = head.outputs();
        rows = outputs.length / width;
        if (!distinctInputs || epoch == 0) {
            return;
        }
        observed[h] = true;
        float[] first = Arrays.copyOf(outputs, width);
        for (int r = 1; r < rows && !varied[h]; r++) {
            for (int k = 0; k < width; k++) {
                if (!same(head.task().type(), first[k], outputs[r * width + k])) {
                    varied[h] = true;
                    break;
                }
            }
        }
        if (!varied[h]) {
            sameOutput[h] = describe(head, first);
        }
    }

    /** Throws when a head gave the same validation output for every row in every epoch after the first. */
    void checkCollapse() {
        if (epochs < 2) {
            return;
        }
        for (int h = 0; h < heads.size(); h++) {
            if (observed[h] && !varied[h]) {
                EncodedData.Head head = heads.get(h);
                String what = head.task().type() == TaskType.REGRESSION ? "predictions" : "probabilities";
                throw new TrainingDivergedException("diverged: task '" + head.task().name() + "' gives the same "
                        + what + " for all " + rows + " validation rows (" + sameOutput[h] + ") in "
                        + (epochs == 2 ? "epoch 2" : "epochs 2 to " + epochs)
                        + "; the network has collapsed");
            }
        }
    }

    private static boolean same(TaskType type, float a, float b) {
        double scale = type == TaskType.REGRESSION ? Math.max(1, Math.max(Math.abs(a), Math.abs(b))) : 1;
        return Math.abs((double) a - b) <= TOLERANCE * scale;
    }

    private static String describe(EncodedData.Head head, float[] output) {
        return switch (head.task().type()) {
            case BINARY -> String.format(Locale.ROOT, "probability %.4g of class 1 for every row", output[0]);
            case MULTICLASS -> "class " + (int) Metrics.predictedClasses(output, output.length)[0] + " for every row";
            case REGRESSION -> String.format(Locale.ROOT, "%.4g for every row", head.unscale(output[0]));
        };
    }

    /** Whether two of {@code rows} differ in some feature. */
    private static boolean distinct(EncodedData data, int[] rows) {
        if (rows.length < 2) {
            return false;
        }
        float[] x = data.features();
        int d = data.width();
        for (int r = 1; r < rows.length; r++) {
            if (!Arrays.equals(x, rows[0] * d, rows[0] * d + d, x, rows[r] * d, rows[r] * d + d)) {
                return true;
            }
        }
        return false;
    }
}
