package dev.chorus.bench;

import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Datasets;
import dev.chorus.mtl.data.Split;
import dev.chorus.mtl.data.SyntheticSpec;
import dev.chorus.mtl.train.GroupResult;
import dev.chorus.mtl.train.ModelSpec;
import dev.chorus.mtl.train.MtlTrainer;
import dev.chorus.trial.DeltaM;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Evidence that the synthetic generator's clusters are real (issue 3, item 8): on a problem of two
 * clusters plus a conflicting task, grouping by the true clusters beats one model for all tasks,
 * and the conflicting task loses when it is forced into a cluster's model.
 *
 * <p>Run: {@code ./mvnw -q test -Dtest=GroupingEvidenceBench}; writes bench/results/grouping-evidence.md.
 */
class GroupingEvidenceBench {

    static final List<Task> TASKS = List.of(task("a1"), task("a2"), task("a3"), task("b1"), task("b2"), task("c1"));
    static final TrainSettings SETTINGS = new TrainSettings(32, 2, 0.003, 20, 32);
    static final Map<String, List<List<String>>> GROUPINGS = new LinkedHashMap<>();

    static {
        GROUPINGS.put("true clusters {a1 a2 a3}{b1 b2}{c1}", List.of(List.of("a1", "a2", "a3"), List.of("b1", "b2"),
                List.of("c1")));
        GROUPINGS.put("one model for all tasks", List.of(List.of("a1", "a2", "a3", "b1", "b2", "c1")));
        GROUPINGS.put("conflict forced into a {a1 a2 a3 c1}{b1 b2}", List.of(List.of("a1", "a2", "a3", "c1"),
                List.of("b1", "b2")));
        GROUPINGS.put("clusters merged {a1 a2 a3 b1 b2}{c1}", List.of(List.of("a1", "a2", "a3", "b1", "b2"),
                List.of("c1")));
    }

    private static Task task(String name) {
        return new Task(name, TaskType.BINARY, Metric.AUC);
    }

    @Test
    void run() throws Exception {
        int seeds = Integer.getInteger("bench.seeds", 5);
        MtlTrainer trainer = new MtlTrainer();
        Map<String, List<Double>> deltaM = new LinkedHashMap<>();
        Map<String, List<Double>> conflictDelta = new LinkedHashMap<>();
        long start = System.nanoTime();
        for (int seed = 1; seed <= seeds; seed++) {
            SyntheticSpec spec = new SyntheticSpec(3000, 48, 0.2, 0.12, Stats.clusters(), List.of("c1"));
            Dataset data = Datasets.load(spec, TASKS, seed);
            Split split = Split.seeded(data.rows(), seed);
            Map<String, Double> alone = new LinkedHashMap<>();
            for (Task t : TASKS) {
                alone.put(t.name(), trainer.train(data, split, t, SETTINGS, seed).testMetrics().get(t.name()));
            }
            for (Map.Entry<String, List<List<String>>> g : GROUPINGS.entrySet()) {
                Map<String, Double> values = new LinkedHashMap<>();
                for (List<String> group : g.getValue()) {
                    List<Task> tasks = TASKS.stream().filter(t -> group.contains(t.name())).toList();
                    GroupResult r = trainer.train(data, split, tasks, ModelSpec.plain(SETTINGS), seed);
                    values.putAll(r.testMetrics());
                }
                List<Double> deltas = new ArrayList<>();
                for (Task t : TASKS) {
                    deltas.add(DeltaM.relative(values.get(t.name()), alone.get(t.name()), t.direction()));
                }
                deltaM.computeIfAbsent(g.getKey(), k -> new ArrayList<>())
                        .add(deltas.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
                conflictDelta.computeIfAbsent(g.getKey(), k -> new ArrayList<>()).add(deltas.get(5));
            }
        }
        double minutes = (System.nanoTime() - start) / 60e9;
        StringBuilder md = new StringBuilder();
        md.append("Synthetic: 3000 rows, 48 features, noise 0.2, 12 % labelled per task; clusters a = {a1, a2, a3}, ")
                .append("b = {b1, b2}, conflicting c1; all binary (AUC). Trunk 32 x 2, lr 0.003, 20 epochs, batch 32, ")
                .append("equal weighting; seeds 1..").append(seeds).append("; Δ against each task trained alone ")
                .append("with the same settings. Took ").append(String.format("%.1f", minutes)).append(" min.\n\n")
                .append("| grouping | Δm % (mean ± s.e.) | seeds with Δm > 0 | c1's Δ % (mean ± s.e.) |\n")
                .append("|---|---|---|---|\n");
        for (String g : GROUPINGS.keySet()) {
            List<Double> d = deltaM.get(g);
            md.append("| ").append(g).append(" | ").append(Stats.meanSe(d)).append(" | ")
                    .append(d.stream().filter(x -> x > 0).count()).append("/").append(d.size()).append(" | ")
                    .append(Stats.meanSe(conflictDelta.get(g))).append(" |\n");
        }
        Stats.write("grouping-evidence.md", md.toString());
    }
}
