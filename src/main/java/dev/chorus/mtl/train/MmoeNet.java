package dev.chorus.mtl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-gate Mixture-of-Experts (Ma, Zhao, Yi, Chen, Hong and Chi, "Modeling Task Relationships in
 * Multi-task Learning with Multi-gate Mixture-of-Experts", KDD 2018): {@code experts} shared experts,
 * each an MLP of {@code depth} layers of {@code width} units; per task a gate {@code softmax(W_t x)}
 * over the experts (a linear map of the input, as in the paper and LibMTL's {@code MMoE}) mixes the
 * experts' outputs, and the task's tower ({@code headDepth} layers and its output layer) reads the
 * mixture. Gate weights start at zero, so every task starts from the plain average of the experts:
 * with Xavier-initialised gates on many raw features the gates started nearly one-hot and 4-expert
 * MMoE underfit hard sharing by about 2x on Ma et al.'s synthetic pair (see BENCHMARKS.md).
 * The shared representation {@code z} is the stacked expert outputs,
 * {@code (b, experts, width)}; the gates belong to their task (they are in {@link #heads}).
 */
final class MmoeNet extends MtlNet {

    private final List<Block> experts = new ArrayList<>();
    private final List<Block> gates = new ArrayList<>();
    private final List<Block> towers;

    MmoeNet(int[] outputs, int width, int depth, int headDepth, int experts) {
        super(outputs, width);
        if (experts < 1) {
            throw new IllegalArgumentException("an MMoE model needs at least 1 expert, was " + experts);
        }
        for (int e = 0; e < experts; e++) {
            this.experts.add(addChildBlock("expert" + e, mlp(depth, width)));
        }
        for (int t = 0; t < outputs.length; t++) {
            gates.add(addChildBlock("gate" + t, Linear.builder().setUnits(experts).build()));
        }
        towers = addTowers(headDepth);
    }

    @Override
    NDArray shared(ParameterStore ps, NDArray x, boolean training) {
        NDList outs = new NDList();
        for (Block expert : experts) {
            outs.add(single(expert, ps, x, training));
        }
        return NDArrays.stack(outs, 1);
    }

    @Override
    NDList heads(ParameterStore ps, NDArray z, NDArray x, boolean training) {
        NDList out = new NDList();
        for (int t = 0; t < towers.size(); t++) {
            NDArray gate = single(gates.get(t), ps, x, training).softmax(1).expandDims(2); // (b, E, 1)
            NDArray mixture = z.mul(gate).sum(new int[] {1}); // (b, width)
            out.add(single(towers.get(t), ps, mixture, training));
        }
        return out;
    }

    @Override
    Shape representation(long rows) {
        return new Shape(rows, experts.size(), width);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        initialize(experts, manager, dataType, inputShapes[0]);
        for (Block gate : gates) {
            gate.setInitializer(ai.djl.training.initializer.Initializer.ZEROS, ai.djl.nn.Parameter.Type.WEIGHT);
        }
        initialize(gates, manager, dataType, inputShapes[0]);
        initialize(towers, manager, dataType, new Shape(inputShapes[0].get(0), width));
    }
}
