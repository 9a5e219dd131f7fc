package dev.chorus.mtl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.chorus.mtl.Architecture;
import java.util.ArrayList;
import java.util.List;

/**
 * A multi-task network split where the weighting methods need it: {@link #shared} maps the input
 * {@code x} to the shared representation {@code z}, {@link #heads} maps {@code z} (and {@code x}, for
 * MMoE's gates) to one raw output per task. Every parameter that {@link #heads} uses belongs to one
 * task; every parameter that {@link #shared} uses is shared. {@link #forward} is
 * {@code heads(shared(x), x)}.
 *
 * <p>Never use an operator with a {@link Number} operand in a subclass: see {@link Tensors}.
 */
abstract class MtlNet extends AbstractBlock {

    /** Outputs of each task's head, in task order. */
    final int[] outputs;
    final int width;

    MtlNet(int[] outputs, int width) {
        this.outputs = outputs.clone();
        this.width = width;
    }

    /**
     * Builds the network of {@code architecture}.
     *
     * @param outputs   per task, the outputs of its head
     * @param width     units of every hidden layer
     * @param depth     layers of the shared part (of each expert, of each column)
     * @param headDepth private hidden layers per task before its output layer
     * @param experts   MMoE only: the number of experts
     * @param conv      hard sharing only: image features read by this convolutional trunk, or null
     */
    static MtlNet of(Architecture architecture, int[] outputs, int width, int depth, int headDepth, int experts,
                     ConvInput conv) {
        return switch (architecture) {
            case HARD -> new HardNet(outputs, width, depth, headDepth, conv);
            case MMOE -> new MmoeNet(outputs, width, depth, headDepth, experts);
            case CROSS_STITCH -> new CrossStitchNet(outputs, width, depth, headDepth);
        };
    }

    /** The shared representation of a batch {@code x} of shape {@code (b, features)}. */
    abstract NDArray shared(ParameterStore ps, NDArray x, boolean training);

    /** One raw output per task from the shared representation {@code z} of the batch {@code x}. */
    abstract NDList heads(ParameterStore ps, NDArray z, NDArray x, boolean training);

    /** The shape of {@code z} for a batch of {@code rows}. */
    abstract Shape representation(long rows);

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return heads(ps, shared(ps, x, training), x, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] out = new Shape[outputs.length];
        for (int t = 0; t < outputs.length; t++) {
            out[t] = new Shape(inputShapes[0].get(0), outputs[t]);
        }
        return out;
    }

    /** {@code depth} layers of {@code Linear(width) + ReLU}. */
    static SequentialBlock mlp(int depth, int width) {
        SequentialBlock block = new SequentialBlock();
        for (int layer = 0; layer < depth; layer++) {
            block.add(Linear.builder().setUnits(width).build()).add(Activation.reluBlock());
        }
        return block;
    }

    /** A task tower: {@code headDepth} layers of {@code Linear(width) + ReLU}, then {@code Linear(outputs)}. */
    static SequentialBlock tower(int headDepth, int width, int outputs) {
        return mlp(headDepth, width).add(Linear.builder().setUnits(outputs).build());
    }

    /** Adds one tower per task as children named {@code tower0, tower1, ...}. */
    List<Block> addTowers(int headDepth) {
        List<Block> towers = new ArrayList<>();
        for (int t = 0; t < outputs.length; t++) {
            towers.add(addChildBlock("tower" + t, tower(headDepth, width, outputs[t])));
        }
        return towers;
    }

    /** Initializes {@code blocks}, each fed arrays of {@code input}. */
    static void initialize(List<Block> blocks, NDManager manager, DataType dataType, Shape input) {
        for (Block b : blocks) {
            b.initialize(manager, dataType, input);
        }
    }

    static NDArray single(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }
}
