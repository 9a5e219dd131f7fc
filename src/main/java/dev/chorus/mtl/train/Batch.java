package dev.chorus.mtl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.chorus.mtl.TaskType;
import java.util.List;

/**
 * One mini-batch on the device: its features and, per task, target, mask and (multiclass) one-hot
 * target, all in PyTorch-owned memory (see {@link Tensors}), attached to the manager given to
 * {@link #of}.
 *
 * @param x        {@code (b, features)}
 * @param present  per task: whether some row of the batch is labelled
 * @param labelled per task: labelled rows of the batch
 */
record Batch(NDArray x, boolean[] present, int[] labelled, List<EncodedData.Head> heads, NDArray[] targets,
             NDArray[] masks, NDArray[] oneHots) {

    static Batch of(NDManager manager, EncodedData data, int[] rows) {
        List<EncodedData.Head> heads = data.heads();
        int tasks = heads.size();
        boolean[] present = new boolean[tasks];
        int[] labelled = new int[tasks];
        NDArray[] targets = new NDArray[tasks];
        NDArray[] masks = new NDArray[tasks];
        NDArray[] oneHots = new NDArray[tasks];
        for (int t = 0; t < tasks; t++) {
            EncodedData.Head head = heads.get(t);
            for (int r : rows) {
                labelled[t] += head.mask()[r] > 0 ? 1 : 0;
            }
            present[t] = labelled[t] > 0;
            if (present[t]) {
                float[] target = gather(head.target(), rows);
                targets[t] = Tensors.of(manager, target);
                masks[t] = Tensors.of(manager, gather(head.mask(), rows));
                if (head.task().type() == TaskType.MULTICLASS) {
                    oneHots[t] = Tensors.of(manager, oneHot(target, head.outputs()), new Shape(rows.length, head.outputs()));
                }
            }
        }
        NDArray x = Tensors.of(manager, data.features(rows), new Shape(rows.length, data.width()));
        return new Batch(x, present, labelled, heads, targets, masks, oneHots);
    }

    /** Whether any task has a labelled row. */
    boolean any() {
        for (boolean p : present) {
            if (p) {
                return true;
            }
        }
        return false;
    }

    /** Each present task's masked mean loss (a scalar) from the heads' outputs; null for an absent task. */
    NDArray[] losses(NDList outputs) {
        NDArray[] out = new NDArray[present.length];
        for (int t = 0; t < out.length; t++) {
            if (present[t]) {
                out[t] = MaskedLoss.of(heads.get(t).task().type(), outputs.get(t), targets[t], oneHots[t], masks[t],
                        labelled[t]);
            }
        }
        return out;
    }

    static float[] gather(float[] values, int[] rows) {
        float[] out = new float[rows.length];
        for (int r = 0; r < rows.length; r++) {
            out[r] = values[rows[r]];
        }
        return out;
    }

    private static float[] oneHot(float[] classes, int k) {
        float[] out = new float[classes.length * k];
        for (int r = 0; r < classes.length; r++) {
            int c = (int) classes[r];
            if (c >= 0 && c < k) {
                out[r * k + c] = 1;
            }
        }
        return out;
    }
}
