package dev.chorus.mtl.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Leaves NaN in freed native memory: PyTorch arrays of 1 to 200 KiB filled with NaN, then freed. The
 * next native allocations of the calling thread reuse that memory, so an operator that reads memory it
 * has not written (see {@code ConvTrunks}) reads NaN. This happens by chance when earlier work freed
 * such memory, and here it happens on every call.
 */
public final class FreedMemory {

    private FreedMemory() {
    }

    /** Allocates, fills with NaN and frees native arrays of 1 to 200 KiB on the calling thread. */
    public static void fillWithNaN() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            for (int k = 1; k <= 200; k++) {
                manager.full(new Shape(256L * k), Float.NaN);
            }
        }
    }
}
