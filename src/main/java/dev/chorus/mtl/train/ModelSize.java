package dev.chorus.mtl.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.data.Dataset;
import java.util.List;

/**
 * How many trainable parameters a model has, counted on the network the trainer would build, so a
 * study can refuse a candidate that is too large before training it.
 *
 * @implNote Builds and initializes the network on the CPU without training it; thread-safe.
 */
public final class ModelSize {

    private ModelSize() {
    }

    /** Trainable parameters of the model {@code model} for {@code tasks} over {@code data}'s features. */
    public static long parameters(Dataset data, List<Task> tasks, ModelSpec model) {
        int[] outputs = tasks.stream().mapToInt(t -> t.type() == TaskType.MULTICLASS ? data.classCount(t.name()) : 1)
                .toArray();
        MtlNet net = MtlNet.of(model.architecture(), outputs, model.settings().trunkWidth(),
                model.settings().trunkDepth(), model.headDepth(), model.experts(), model.conv());
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
            net.initialize(manager, DataType.FLOAT32, new Shape(1, data.featureCount()));
            return net.getParameters().values().stream().filter(Parameter::requiresGradient)
                    .mapToLong(p -> p.getArray().size()).sum();
        }
    }
}
