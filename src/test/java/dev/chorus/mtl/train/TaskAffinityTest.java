package dev.chorus.mtl.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Datasets;
import dev.chorus.mtl.data.Split;
import dev.chorus.mtl.data.SyntheticSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TAG's lookahead affinity on the synthetic clustered generator: two clusters of related tasks and
 * one conflicting task. Steps on a task help the tasks of its own cluster more than the others.
 */
class TaskAffinityTest {

    private static final List<String> NAMES = List.of("a1", "a2", "b1", "b2", "c1");
    private static final int[] CLUSTER = {0, 0, 1, 1, 2}; // 2: the conflicting task, a cluster of its own
    private static final TrainSettings SETTINGS = new TrainSettings(32, 2, 0.003, 20, 64);

    static SyntheticSpec spec() {
        Map<String, List<String>> clusters = new LinkedHashMap<>();
        clusters.put("A", List.of("a1", "a2"));
        clusters.put("B", List.of("b1", "b2"));
        return new SyntheticSpec(3000, 40, 0.2, 1.0, clusters, List.of("c1"));
    }

    static List<Task> tasks() {
        return NAMES.stream().map(n -> new Task(n, TaskType.BINARY, Metric.AUC)).toList();
    }

    static double[] stats(double[][] z) {
        double within = 0, across = 0; int nw = 0, na = 0;
        for (int i = 0; i < z.length; i++) for (int j = 0; j < z.length; j++) if (i != j) {
            if (CLUSTER[i] == CLUSTER[j]) { within += z[i][j]; nw++; } else { across += z[i][j]; na++; }
        }
        return new double[] {within / nw, across / na};
    }

    /**
     * Measured (10 epochs, lookahead in the trunk's parameters at the run's learning rate): seed 1
     * within 0.00061 vs across -0.000001, seed 2 0.00035 vs -0.00004, seed 7 0.00012 vs -0.00003.
     */
    @Test
    void withinClusterAffinityExceedsAcrossAndIsDeterministic() {
        List<Task> tasks = tasks();
        for (int seed : new int[] {1, 2, 7}) {
            Dataset data = Datasets.load(spec(), tasks, seed);
            Split split = Split.seeded(data.rows(), seed);
            double[][] z = TaskAffinity.measure(data, split, tasks, SETTINGS, 10, seed);
            for (int i = 0; i < z.length; i++) {
                System.out.println(NAMES.get(i) + " " + Arrays.toString(z[i]));
            }
            double[] wa = stats(z);
            System.out.printf("seed %d: mean affinity within clusters %.5f, across / with the conflicting task %.5f%n",
                    seed, wa[0], wa[1]);
            assertThat(wa[0]).as("seed %d: within vs across", seed).isGreaterThan(wa[1]);
            for (int i = 0; i < z.length; i++) {
                assertThat(z[i][i]).as("a step on a task lowers its own loss").isPositive();
            }
            if (seed == 7) {
                assertThat(TaskAffinity.measure(data, split, tasks, SETTINGS, 10, seed)).isDeepEqualTo(z);
            }
        }
    }

    /** The lookahead steps are undone exactly: the observed model trains bit for bit as an unobserved one. */
    @Test
    void measuringDoesNotChangeTheTraining() {
        List<Task> tasks = tasks();
        Dataset data = Datasets.load(spec(), tasks, 3);
        Split split = Split.seeded(data.rows(), 3);
        ModelSpec model = ModelSpec.plain(new TrainSettings(32, 2, 0.003, 3, 64));
        GroupResult plain = new MtlTrainer().train(data, split, tasks, model, 3);
        GroupResult observed = new MtlTrainer().train(data, split, tasks, model, 3,
                new TaskAffinity.Accumulator(tasks.size(), 0.003));
        assertThat(observed).isEqualTo(plain);
    }
}
