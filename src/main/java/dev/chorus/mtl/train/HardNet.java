package dev.chorus.mtl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * Hard parameter sharing (Caruana, "Multitask Learning", Machine Learning 28, 1997): a trunk of
 * {@code depth} shared {@code Linear + ReLU} layers of {@code width} units, then per task
 * {@code headDepth} private layers of {@code width} units and its output layer. The shared
 * representation {@code z} is the trunk's output, {@code (b, width)}.
 */
final class HardNet extends MtlNet {

    private final Block trunk;
    private final List<Block> towers;

    HardNet(int[] outputs, int width, int depth, int headDepth) {
        super(outputs, width);
        trunk = addChildBlock("trunk", mlp(depth, width));
        towers = addTowers(headDepth);
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
