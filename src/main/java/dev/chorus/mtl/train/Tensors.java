package dev.chorus.mtl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Arrays made from Java values that are safe to keep in an autograd graph.
 *
 * <p>Why this exists (the cause of the {@code sameSeedSameResult} flake): DJL's PyTorch engine builds
 * an array from Java data with {@code torch::from_blob} over a direct {@link java.nio.ByteBuffer} that
 * only the Java {@code PtNDArray} keeps alive. The operators that take a {@link Number}
 * ({@code x.div(3)}, {@code x.mul(w)}, {@code x.maximum(0f)}) wrap the number that way and close the
 * wrapper right after the forward operation; autograd has saved the scalar for the backward pass,
 * which later reads memory that the JVM may already have freed after a garbage collection (and that
 * the next small allocation, often another scalar, reuses). The gradient is then scaled by another
 * number. It only happens when a GC falls between a step's forward and backward pass, so it looked
 * like a rare flake; a thread calling {@code System.gc()} in a loop makes every run differ.
 *
 * <p>The rule of this package: no {@link Number} operand on a path that is differentiated, and every
 * array made from Java data is copied into memory that PyTorch owns before it is used.
 */
final class Tensors {

    private Tensors() {
    }

    /** A 0-dimensional array holding {@code value}, in PyTorch-owned memory. */
    static NDArray scalar(NDManager manager, double value) {
        return manager.full(new Shape(), (float) value);
    }

    /** {@code values} as an array of {@code shape}, copied into PyTorch-owned memory. */
    static NDArray of(NDManager manager, float[] values, Shape shape) {
        try (NDArray view = manager.create(values, shape)) {
            return view.duplicate();
        }
    }

    /** {@code values} as a 1-dimensional array, copied into PyTorch-owned memory. */
    static NDArray of(NDManager manager, float[] values) {
        return of(manager, values, new Shape(values.length));
    }
}
