package dev.chorus.mtl.train.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * Convolutional shared trunks for image datasets (see {@code dev.chorus.mtl.data.ImageTable}): each
 * takes the flat rows the trainer feeds every trunk, {@code (batch, C*H*W)} in channel-major order
 * ({@code (c*H + y)*W + x}), reshapes them to {@code (batch, C, H, W)}, and ends in
 * {@code Linear(outUnits) + ReLU}, so its output {@code (batch, outUnits)} is the shared representation
 * the task heads attach to, exactly like the MLP trunk's last layer.
 *
 * <p>Shapes below are for a 36x36 image ({@code H' = H, W' = W} when not stated); convolutions have
 * biases unless followed by batch normalisation, and their weights are of type
 * {@code Parameter.Type.WEIGHT}, so the trainer's weight initializer applies to them.
 *
 * @implNote The blocks are new on each call and not initialized; initialize them with the input shape
 *     {@code (1, C*H*W)}. The ResNet-like trunk holds {@link BatchNorm} layers: DJL passes the
 *     {@code training} flag through, so {@code Trainer.forward} (training) normalises with the batch's
 *     statistics and updates the running mean and variance in place (PyTorch momentum 0.1), while
 *     {@code Trainer.evaluate} and {@code Predictor} use the running statistics. A training batch of one
 *     row still works (statistics over {@code H*W} positions). The LeNet-like trunk has no
 *     training-dependent layer.
 *     <p>Every convolution has a multiple of {@value #FILTER_MULTIPLE} filters (checked when it is
 *     built). On the CPU, PyTorch 2.7.1 runs convolutions through oneDNN 3.7.1, which stores
 *     channels in blocks of 16 (AVX-512) or 8 (AVX2). When a convolution's filter count leaves a
 *     block partly empty, oneDNN's gradient with respect to the convolution's input reads the
 *     padding without having initialised it. Reused memory usually holds finite values, and those
 *     times 0 are 0. If it holds a NaN bit pattern (0xFFFFFFFF was seen; a run that has diverged
 *     leaves NaN behind), the input gradient becomes NaN and Adam spreads it to every weight. The
 *     model then outputs NaN and predicts class 0 for every row. This was the intermittent collapse
 *     of {@code ConvTrainingTest} with the former LeNet of 10 and 20 filters. Measured 2026-12-04 on
 *     an AMD EPYC with AVX-512, 20 backward passes through a 5x5 convolution from 10 to 20 channels,
 *     each after filling freed native memory with 0xFF bytes: NaN input gradients in 20, 19 and 19
 *     of 20 (three runs), 19 of 20 with {@code ONEDNN_MAX_CPU_ISA=AVX512_CORE}, 3 and 15 of 20 with
 *     {@code AVX2}, and 0 of 20 without the filling. From 16 to 32 channels, or from 1 to 16, it was
 *     0 of 20 in each of those three settings.
 */
public final class ConvTrunks {

    /** Every convolution's filter count is a multiple of this, so oneDNN pads no block of channels. */
    static final int FILTER_MULTIPLE = 16;

    /** Smallest height and width the LeNet-like trunk accepts (two valid 5x5 convolutions, two pools). */
    public static final int LENET_MIN_SIZE = 16;

    private ConvTrunks() {
    }

    /**
     * A LeNet-5-like trunk.
     *
     * <pre>
     * (B, C*H*W) -reshape-&gt; (B, C, 36, 36)
     *   -conv 5x5, 16 filters, ReLU-&gt; (B, 16, 32, 32) -max pool 2-&gt; (B, 16, 16, 16)
     *   -conv 5x5, 32 filters, ReLU-&gt; (B, 32, 12, 12) -max pool 2-&gt; (B, 32, 6, 6)
     *   -flatten-&gt; (B, 1152) -linear, ReLU-&gt; (B, outUnits)
     * </pre>
     *
     * In general the flattened width is {@code 32 * ((H-4)/2 - 4)/2 * ((W-4)/2 - 4)/2} (integer
     * division). The shape follows the MultiLeNet of Sener and Koltun (2018), which has a 9x9 first
     * convolution and 10 and 20 filters. Here the filter counts are rounded up to multiples of
     * {@value #FILTER_MULTIPLE} (see the class notes: 20 filters let the gradients become NaN).
     *
     * @throws IllegalArgumentException when a size is not positive or {@code height} or {@code width}
     *                                  is below {@value #LENET_MIN_SIZE}
     */
    public static Block lenet(int channels, int height, int width, int outUnits) {
        check(channels, height, width, outUnits);
        if (height < LENET_MIN_SIZE || width < LENET_MIN_SIZE) {
            throw new IllegalArgumentException("the LeNet-like trunk needs images of at least " + LENET_MIN_SIZE
                    + "x" + LENET_MIN_SIZE + " pixels, got " + height + "x" + width
                    + "; resize the images or use the ResNet-like trunk");
        }
        return new SequentialBlock()
                .add(reshape(channels, height, width))
                .add(conv(16, 5, 1, 0, true)).add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(conv(32, 5, 1, 0, true)).add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(outUnits).build()).add(Activation.reluBlock());
    }

    /**
     * A small ResNet-like trunk (about 19k parameters before the last linear layer).
     *
     * <pre>
     * (B, C*H*W) -reshape-&gt; (B, C, H, W)
     *   -stem: conv 3x3 pad 1, 16 filters, BN, ReLU-&gt; (B, 16, H, W)
     *   -basic block: [conv 3x3 16, BN, ReLU, conv 3x3 16, BN] + identity, ReLU-&gt; (B, 16, H, W)
     *   -basic block, stride 2: [conv 3x3 s2 32, BN, ReLU, conv 3x3 32, BN]
     *                          + [conv 1x1 s2 32, BN], ReLU-&gt; (B, 32, ceil(H/2), ceil(W/2))
     *   -average pool 2x2, stride 2, ceil mode-&gt; (B, 32, ceil(H/4), ceil(W/4))
     *   -flatten-&gt; (B, 32*ceil(H/4)*ceil(W/4)) -linear, ReLU-&gt; (B, outUnits)
     * </pre>
     *
     * For 36x36 the flattened width is 32*9*9 = 2592. The end is a local average pool, not the global
     * one of ResNets: a global pool keeps what was seen but not where, and the overlay tasks are told
     * apart by position only (measured on 2000 overlay samples, 10 epochs of Adam 0.001, two heads:
     * 0.60 / 0.55 accuracy with a global pool, 0.93 / 0.91 with this one). Any image of at least 1x1
     * pixel fits. About six times the time per epoch of the former LeNet-like trunk (10 and 20
     * filters) at 36x36.
     *
     * @throws IllegalArgumentException when a size is not positive
     */
    public static Block resnet(int channels, int height, int width, int outUnits) {
        check(channels, height, width, outUnits);
        return new SequentialBlock()
                .add(reshape(channels, height, width))
                .add(conv(16, 3, 1, 1, false)).add(batchNorm()).add(Activation.reluBlock())
                .add(basicBlock(16, 1, false))
                .add(basicBlock(32, 2, true))
                .add(Pool.avgPool2dBlock(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), true))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(outUnits).build()).add(Activation.reluBlock());
    }

    /** Two 3x3 convolutions with batch norm, plus a shortcut (a 1x1 projection when {@code project}). */
    static Block basicBlock(int filters, int stride, boolean project) {
        SequentialBlock main = new SequentialBlock()
                .add(conv(filters, 3, stride, 1, false)).add(batchNorm()).add(Activation.reluBlock())
                .add(conv(filters, 3, 1, 1, false)).add(batchNorm());
        Block shortcut = project
                ? new SequentialBlock().add(conv(filters, 1, stride, 0, false)).add(batchNorm())
                : Blocks.identityBlock();
        return new ParallelBlock(outputs -> {
            NDArray sum = outputs.get(0).singletonOrThrow().add(outputs.get(1).singletonOrThrow());
            return new NDList(Activation.relu(sum));
        }, List.of(main, shortcut));
    }

    /** {@code (B, C*H*W)} to {@code (B, C, H, W)}. */
    static Block reshape(int channels, int height, int width) {
        Shape image = new Shape(-1, channels, height, width);
        return new LambdaBlock(list -> new NDList(list.singletonOrThrow().reshape(image)), "toImage");
    }

    /** A 2-D convolution; {@code filters} must be a multiple of {@value #FILTER_MULTIPLE} (see the class notes). */
    private static Block conv(int filters, int kernel, int stride, int padding, boolean bias) {
        if (filters % FILTER_MULTIPLE != 0) {
            throw new IllegalArgumentException(filters + " filters: a trunk's convolutions need a multiple of "
                    + FILTER_MULTIPLE + " filters, or oneDNN's input gradient can read uninitialised padding");
        }
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optBias(bias)
                .build();
    }

    private static Block batchNorm() {
        return BatchNorm.builder().optAxis(1).build();
    }

    private static void check(int channels, int height, int width, int outUnits) {
        if (channels < 1 || height < 1 || width < 1 || outUnits < 1) {
            throw new IllegalArgumentException("channels, height, width and output units must be positive: "
                    + channels + ", " + height + ", " + width + ", " + outUnits);
        }
    }
}
