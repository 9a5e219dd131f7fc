package dev.chorus.mtl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.chorus.mtl.TaskType;

/**
 * The per-task losses, each the mean over the labelled rows of a batch only. An unlabelled row
 * (mask 0) contributes nothing, whatever its target holds: its per-row loss is multiplied by 0
 * before any arithmetic and its per-row loss again before the sum, so neither the value nor the
 * gradient sees it (the target must still be finite: {@code NaN * 0} is NaN, which is why
 * {@link EncodedData} stores 0 there). Constants are PyTorch-owned arrays, never {@link Number} operands
 * (see {@link Tensors}).
 */
final class MaskedLoss {

    private MaskedLoss() {
    }

    /**
     * The masked mean loss of one head.
     *
     * @param type     the task's type
     * @param output   the head's raw output, {@code (b, 1)} or {@code (b, k)}
     * @param target   {@code (b)}: class indices, or the standardized regression target
     * @param oneHot   {@code (b, k)} one-hot of the target for a multiclass head, null otherwise
     * @param mask     {@code (b)}: 1 for a labelled row, 0 otherwise
     * @param labelled the number of ones in {@code mask}, at least 1
     * @return a scalar
     */
    static NDArray of(TaskType type, NDArray output, NDArray target, NDArray oneHot, NDArray mask, int labelled) {
        NDArray clean = target.mul(mask); // an unlabelled row's target becomes 0 before any arithmetic
        NDArray perRow = switch (type) {
            case BINARY -> binaryCrossEntropy(output.reshape(-1), clean);
            case MULTICLASS -> output.logSoftmax(1).mul(oneHot.mul(mask.reshape(-1, 1))).sum(new int[] {1}).neg();
            case REGRESSION -> {
                NDArray error = output.reshape(-1).sub(clean);
                yield error.mul(error);
            }
        };
        return perRow.mul(mask).sum().div(Tensors.scalar(mask.getManager(), labelled));
    }

    /** {@code max(z, 0) - z * y + log(1 + exp(-|z|))}: the numerically stable BCE on logits. */
    private static NDArray binaryCrossEntropy(NDArray logits, NDArray target) {
        NDManager manager = logits.getManager();
        return logits.maximum(Tensors.scalar(manager, 0)).sub(logits.mul(target))
                .add(logits.abs().neg().exp().add(Tensors.scalar(manager, 1)).log());
    }
}
