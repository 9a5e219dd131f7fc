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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The synthetic generator's point, measured with the real trainer: with few labels, a cluster's tasks
 * trained together beat training them alone, and merging a conflicting task into their model hurts.
 * Seeded, hence deterministic; averaged over seeds 1-3 (over seeds 1-12 this configuration gave
 * cluster Δm +7.2% ± 1.2 s.e., 12 of 12 positive, and merge Δm -2.5% ± 0.6, 11 of 12 negative).
 */
class SyntheticGroupingTest {

    private static final SyntheticSpec SPEC = new SyntheticSpec(1000, 60, 0.2, 0.2,
            Map.of("A", List.of("a1", "a2", "a3")), List.of("c1"));
    private static final List<Task> CLUSTER = List.of(new Task("a1", TaskType.BINARY, Metric.AUC),
            new Task("a2", TaskType.BINARY, Metric.AUC), new Task("a3", TaskType.BINARY, Metric.AUC));
    private static final Task CONFLICT = new Task("c1", TaskType.BINARY, Metric.AUC);
    private static final TrainSettings SETTINGS = new TrainSettings(32, 2, 0.003, 20, 32);

    @Test
    void clusterTogetherBeatsAloneAndAConflictHurts() {
        List<Task> all = new java.util.ArrayList<>(CLUSTER);
        all.add(CONFLICT);
        MtlTrainer trainer = new MtlTrainer();
        double together = 0;
        double merged = 0;
        int seeds = 3;
        for (long seed = 1; seed <= seeds; seed++) {
            Dataset data = Datasets.load(SPEC, all, seed);
            Split split = Split.seeded(data.rows(), seed);
            Map<String, Double> single = new HashMap<>();
            for (Task t : all) {
                single.putAll(trainer.train(data, split, List.of(t), ModelSpec.plain(SETTINGS), seed).testMetrics());
            }
            Map<String, Double> cluster = trainer.train(data, split, CLUSTER, ModelSpec.plain(SETTINGS), seed)
                    .testMetrics();
            Map<String, Double> withConflict = trainer.train(data, split, all, ModelSpec.plain(SETTINGS), seed)
                    .testMetrics();
            Map<String, Double> separate = new HashMap<>(cluster);
            separate.put("c1", single.get("c1"));
            double t = deltaM(cluster, single, CLUSTER);
            double m = deltaM(withConflict, separate, all);
            System.out.printf("seed %d: cluster together vs alone Δm %+.2f%%, {A+c1} vs {A},{c1} Δm %+.2f%%%n", seed, t, m);
            together += t / seeds;
            merged += m / seeds;
        }
        assertThat(together).as("mean Δm of the cluster trained together vs alone").isGreaterThan(0);
        assertThat(merged).as("mean Δm of merging the conflicting task into the cluster's model").isLessThan(0);
    }

    /** Mean relative improvement in percent, sign-corrected so that larger is better. */
    static double deltaM(Map<String, Double> model, Map<String, Double> base, List<Task> tasks) {
        double sum = 0;
        for (Task t : tasks) {
            double b = base.get(t.name());
            sum += t.direction().sign() * (model.get(t.name()) - b) / Math.abs(b);
        }
        return 100 * sum / tasks.size();
    }
}
