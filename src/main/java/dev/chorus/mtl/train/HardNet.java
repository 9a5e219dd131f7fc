package dev.chorus.mtl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.chorus.mtl.train.arch.ConvTrunks;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * Hard parameter sharing (Caruana, "Multitask Learning", Machine Learning 28, 1997): a trunk of
 * {@code depth} shared {@code Linear + ReLU} layers of {@code width} units, then per task
 * {@code headDepth} private layers of {@code width} units and its output layer. The shared
 * representation {@code z} is the trunk's output, {@code (b, width)}. For image features the trunk
 * starts with a convolutional block ({@link ConvTrunks}) of {@code width} output units, followed by
 * {@code depth - 1} dense layers.
 */
final class HardNet extends MtlNet {

    private final Block trunk;
    private final List<Block> towers;

    HardNet(int[] outputs, int width, int depth, int headDepth) {
        this(outputs, width, depth, headDepth, null);
    }

    HardNet(int[] outputs, int width, int depth, int headDepth, ConvInput conv) {
        super(outputs, width);
        trunk = addChildBlock("trunk", conv == null ? mlp(depth, width) : convTrunk(conv, width, depth));
        towers = addTowers(headDepth);
    }

    private static Block convTrunk(ConvInput conv, int width, int depth) {
        Block stem = switch (conv.trunk()) {
            case LENET -> ConvTrunks.lenet(conv.channels(), conv.height(), conv.width(), width);
            case RESNET -> ConvTrunks.resnet(conv.channels(), conv.height(), conv.width(), width);
        };
        SequentialBlock block = new SequentialBlock().add(stem);
        for (int layer = 1; layer < depth; layer++) {
            block.add(Linear.builder().setUnits(width).build()).add(Activation.reluBlock());
        }
        return block;
    }

    @Override
    NDArray shared(ParameterStore ps, NDArray x, boolean training) {
        return single(trunk, ps, x, training);
    }

    @Override
    NDList heads(ParameterStore ps, NDArray z, NDArray x, boolean training) {
        NDList out = new NDList();
        for (Block tower : towers) {
            out.add(single(tower, ps, z, training));
        }
        return out;
    }

    @Override
    Shape representation(long rows) {
        return new Shape(rows, width);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        trunk.initialize(manager, dataType, inputShapes);
        initialize(towers, manager, dataType, new Shape(inputShapes[0].get(0), width));
    }
}
