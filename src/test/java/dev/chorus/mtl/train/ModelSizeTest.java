package dev.chorus.mtl.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.mtl.Architecture;
import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.mtl.data.Dataset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSizeTest {

    private static final List<Task> TASKS = List.of(new Task("a", TaskType.BINARY, Metric.AUC),
            new Task("b", TaskType.MULTICLASS, Metric.ACCURACY));
    private static final Dataset DATA = new Dataset("size", List.of("x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7",
            "x8", "x9"), new float[20], Map.of("a", new float[] {0, 1}, "b", new float[] {0, 2}), Map.of("a", 2, "b", 3));

    @Test
    void countsTheTrunkAndEveryHead() {
        ModelSpec hard = ModelSpec.plain(new TrainSettings(8, 1, 0.01, 1, 32));
        // trunk 10*8+8, heads (8*1+1) + (8*3+3)
        assertThat(ModelSize.parameters(DATA, TASKS, hard)).isEqualTo(88 + 9 + 27);
    }

    @Test
    void moreExpertsMeanMoreParameters() {
        ModelSpec two = new ModelSpec(null, Weighting.EQUAL, new TrainSettings(8, 1, 0.01, 1, 32), Architecture.MMOE, 0, 2);
        ModelSpec four = two.withArchitecture(Architecture.MMOE, 0, 4);
        // each expert 88, each gate 10*E+E, heads 36
        assertThat(ModelSize.parameters(DATA, TASKS, two)).isEqualTo(2 * 88 + 2 * 22 + 36);
        assertThat(ModelSize.parameters(DATA, TASKS, four)).isEqualTo(4 * 88 + 2 * 44 + 36);
    }
}
