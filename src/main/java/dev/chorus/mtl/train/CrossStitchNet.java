package dev.chorus.mtl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Cross-stitch networks (Misra, Shrivastava, Gupta and Hebert, "Cross-stitch Networks for Multi-task
 * Learning", CVPR 2016): one column of {@code depth} {@code Linear + ReLU} layers of {@code width}
 * units per task; after every layer a learned {@code T x T} cross-stitch unit {@code A} mixes the
 * columns' activations, {@code h'_t = sum_s A[t][s] h_s}, and each task's tower ({@code headDepth}
 * layers and its output layer) reads its own column. {@code A} starts near the identity: 0.9 on the
 * diagonal and {@code 0.1 / (T - 1)} elsewhere (1 for a single task), as the paper's
 * "(0.9, 0.1)" initialisation.
 *
 * <p>The shared representation {@code z} is the stacked final column outputs, {@code (b, T, width)},
 * and everything before it (all columns and units) counts as shared: a gradient method therefore sees,
 * for each task, its gradient with respect to every column, mostly non-zero in the task's own column.
 */
final class CrossStitchNet extends MtlNet {

    private final List<List<Block>> columns = new ArrayList<>();
    private final List<Parameter> units = new ArrayList<>();
    private final List<Block> towers;

    CrossStitchNet(int[] outputs, int width, int depth, int headDepth) {
        super(outputs, width);
        int tasks = outputs.length;
        for (int t = 0; t < tasks; t++) {
            List<Block> column = new ArrayList<>();
            for (int layer = 0; layer < depth; layer++) {
                column.add(addChildBlock("column" + t + "layer" + layer, Linear.builder().setUnits(width).build()));
            }
            columns.add(column);
        }
        float[] init = identityish(tasks);
        for (int layer = 0; layer < depth; layer++) {
            units.add(addParameter(Parameter.builder().setName("stitch" + layer).setType(Parameter.Type.OTHER)
                    .optShape(new Shape(tasks, tasks))
                    .optInitializer((manager, shape, dataType) -> Tensors.of(manager, init, shape))
                    .build()));
        }
        towers = addTowers(headDepth);
    }

    /** 0.9 on the diagonal, 0.1 / (T - 1) elsewhere; 1 for a single task. */
    static float[] identityish(int tasks) {
        float[] a = new float[tasks * tasks];
        for (int t = 0; t < tasks; t++) {
            for (int s = 0; s < tasks; s++) {
                a[t * tasks + s] = tasks == 1 ? 1f : t == s ? 0.9f : 0.1f / (tasks - 1);
            }
        }
        return a;
    }

    @Override
    NDArray shared(ParameterStore ps, NDArray x, boolean training) {
        int tasks = columns.size();
        List<NDArray> h = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            h.add(x);
        }
        NDArray stacked = null;
        for (int layer = 0; layer < units.size(); layer++) {
            NDList next = new NDList();
            for (int t = 0; t < tasks; t++) {
                next.add(Activation.relu(single(columns.get(t).get(layer), ps, h.get(t), training)));
            }
            NDArray unit = ps.getValue(units.get(layer), x.getDevice(), training);
            stacked = unit.matMul(NDArrays.stack(next, 1)); // (T, T) x (b, T, W) -> (b, T, W)
            for (int t = 0; t < tasks; t++) {
                h.set(t, column(stacked, t));
            }
        }
        return stacked;
    }

    @Override
    NDList heads(ParameterStore ps, NDArray z, NDArray x, boolean training) {
        NDList out = new NDList();
        for (int t = 0; t < towers.size(); t++) {
            out.add(single(towers.get(t), ps, column(z, t), training));
        }
        return out;
    }

    private static NDArray column(NDArray stacked, int t) {
        return stacked.get(new NDIndex(":, {}", t));
    }

    @Override
    Shape representation(long rows) {
        return new Shape(rows, columns.size(), width);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape hidden = new Shape(inputShapes[0].get(0), width);
        for (List<Block> column : columns) {
            for (int layer = 0; layer < column.size(); layer++) {
                column.get(layer).initialize(manager, dataType, layer == 0 ? inputShapes[0] : hidden);
            }
        }
        initialize(towers, manager, dataType, hidden);
    }
}
