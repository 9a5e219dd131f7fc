package dev.chorus.mtl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import dev.chorus.mtl.Architecture;
import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Split;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every architecture builds the right shapes and learns easy tasks; the device switch. */
class ArchitecturesTest {

    private static final List<Task> ALL = List.of(new Task("sign", TaskType.BINARY, Metric.ACCURACY),
            new Task("level", TaskType.REGRESSION, Metric.RMSE), new Task("band", TaskType.MULTICLASS, Metric.ACCURACY));

    @Test
    void shapesFitEveryArchitectureTaskCountHeadDepthAndExpertCount() {
        int rows = 7;
        int features = 5;
        int width = 6;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray x = manager.randomNormal(new Shape(rows, features));
            for (Architecture a : Architecture.values()) {
                for (int tasks = 1; tasks <= 4; tasks++) {
                    int[] outputs = new int[tasks];
                    for (int t = 0; t < tasks; t++) {
                        outputs[t] = t % 2 == 0 ? 1 : 3;
                    }
                    for (int headDepth = 0; headDepth <= 2; headDepth++) {
                        for (int experts = 1; experts <= (a == Architecture.MMOE ? 4 : 1); experts++) {
                            String what = a + " tasks " + tasks + " head depth " + headDepth + " experts " + experts;
                            MtlNet net = MtlNet.of(a, outputs, width, 2, headDepth, experts, null);
                            net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
                            net.initialize(manager, DataType.FLOAT32, new Shape(1, features));
                            ParameterStore ps = new ParameterStore(manager, false);
                            NDArray z = net.shared(ps, x, false);
                            assertThat(z.getShape()).as(what).isEqualTo(net.representation(rows));
                            NDList out = net.heads(ps, z, x, false);
                            assertThat(out).as(what).hasSize(tasks);
                            for (int t = 0; t < tasks; t++) {
                                assertThat(out.get(t).getShape()).as(what).isEqualTo(new Shape(rows, outputs[t]));
                            }
                            assertThat(net.forward(ps, new NDList(x), false).get(tasks - 1).toFloatArray())
                                    .as(what).containsExactly(out.get(tasks - 1).toFloatArray());
                            int towerLinears = tasks * (headDepth + 1);
                            int sharedLinears = switch (a) {
                                case HARD -> 2;
                                case MMOE -> 2 * experts + tasks; // experts and gates
                                case CROSS_STITCH -> 2 * tasks;
                            };
                            int units = a == Architecture.CROSS_STITCH ? 2 : 0;
                            assertThat(net.getParameters().size()).as(what)
                                    .isEqualTo(2 * (towerLinears + sharedLinears) + units);
                        }
                    }
                }
            }
        }
    }

    @Test
    void crossStitchUnitsStartNearTheIdentity() {
        assertThat(CrossStitchNet.identityish(1)).containsExactly(1f);
        assertThat(CrossStitchNet.identityish(3)).containsExactly(0.9f, 0.05f, 0.05f, 0.05f, 0.9f, 0.05f,
                0.05f, 0.05f, 0.9f);
    }

    @Test
    void everyArchitectureLearnsEasyTasks() {
        Dataset data = MtlTrainerTest.easy(600, 1.0, 21);
        Split split = Split.seeded(600, 21);
        TrainSettings settings = new TrainSettings(24, 2, 0.01, 12, 32);
        MtlTrainer trainer = new MtlTrainer();
        for (Architecture a : Architecture.values()) {
            ModelSpec spec = ModelSpec.plain(settings).withArchitecture(a, 1, a == Architecture.MMOE ? 3 : 0);
            GroupResult r = trainer.train(data, split, ALL, spec, 21);
            System.out.printf("%s on the easy tasks: %s, best epoch %d of %d%n", a, r.testMetrics(), r.bestEpoch(),
                    r.epochsRun());
            assertThat(r.testMetrics().get("sign")).as(a.id()).isGreaterThan(0.88);
            assertThat(r.testMetrics().get("level")).as(a.id() + ": rmse in the label's units (sd 10)").isLessThan(3.5);
            assertThat(r.testMetrics().get("band")).as(a.id()).isGreaterThan(0.8);
        }
    }

    @Test
    void deviceComesFromConfiguration() {
        assertThat(Devices.resolve("auto", 0)).isEqualTo(Device.cpu());
        assertThat(Devices.resolve(" AUTO ", 2)).isEqualTo(Device.gpu());
        assertThat(Devices.resolve("cpu", 2)).isEqualTo(Device.cpu());
        assertThat(Devices.resolve("gpu", 1)).isEqualTo(Device.gpu());
        assertThatThrownBy(() -> Devices.resolve("gpu", 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pytorch-native-cu");
        assertThatThrownBy(() -> Devices.resolve("tpu", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auto, cpu, gpu or gpu:N");
        assertThat(Devices.resolve("cuda:1", 2)).as("a worker pinned to the second GPU").isEqualTo(Device.gpu(1));
        assertThat(Devices.resolve("GPU:0", 1)).isEqualTo(Device.gpu(0));
        assertThatThrownBy(() -> Devices.resolve("gpu:2", 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("numbered 0 to 1");
        assertThatThrownBy(() -> Devices.resolve("gpu:x", 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
