package dev.chorus.bench;

import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Datasets;
import dev.chorus.mtl.data.Split;
import dev.chorus.mtl.data.SyntheticSpec;
import dev.chorus.mtl.sampling.SamplingSpec;
import dev.chorus.mtl.train.GroupResult;
import dev.chorus.mtl.train.ModelSpec;
import dev.chorus.mtl.train.MtlTrainer;
import dev.chorus.trial.DeltaM;
import dev.chorus.trial.Interval;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Is the null case null (issue 14)? Four binary tasks that share no latent structure
 * ({@code bench/optimism/null.yaml}'s data, every task {@code conflicting}), trained alone and shared,
 * with the same settings and seed, directly, without any search or selection: a gain here is a gain
 * from sharing a trunk itself, not from picking the luckiest of many configurations. Two designs: the
 * tasks read all 48 features (the generator's default), or each reads its own block of 12
 * ({@code disjoint: true}).
 *
 * <p>Run: {@code bench/run null-evidence} (options {@code -Dbench.seeds=10}); writes
 * bench/results/null-evidence.md.
 */
class NullEvidenceBench {

    static final List<String> NAMES = List.of("n1", "n2", "n3", "n4");
    static final List<Task> TASKS = NAMES.stream().map(n -> new Task(n, TaskType.BINARY, Metric.AUC)).toList();
    static final Map<String, List<List<String>>> GROUPINGS = new LinkedHashMap<>();
    static final Map<String, TrainSettings> SETTINGS = new LinkedHashMap<>();

    static {
        GROUPINGS.put("one model {n1 n2 n3 n4}", List.of(NAMES));
        GROUPINGS.put("pairs {n1 n2}{n3 n4}", List.of(List.of("n1", "n2"), List.of("n3", "n4")));
        SETTINGS.put("baseline 32 x 2, lr 0.003, 20 epochs", new TrainSettings(32, 2, 0.003, 20, 32));
        SETTINGS.put("64 x 1, lr 0.005, 25 epochs", new TrainSettings(64, 1, 0.005, 25, 32));
    }

    @Test
    void run() throws Exception {
        int seeds = Integer.getInteger("bench.seeds", 10);
        MtlTrainer trainer = new MtlTrainer();
        StringBuilder md = new StringBuilder();
        long start = System.nanoTime();
        md.append("| features | settings | grouping | test Δm % against the tasks alone (mean [95 % interval]) |")
                .append(" seeds with Δm > 0 |\n|---|---|---|---|---|\n");
        for (boolean disjoint : new boolean[] {false, true}) {
            for (Map.Entry<String, TrainSettings> setting : SETTINGS.entrySet()) {
                Map<String, List<Double>> deltaM = new LinkedHashMap<>();
                for (int seed = 1; seed <= seeds; seed++) {
                    SyntheticSpec spec = new SyntheticSpec(3000, 48, 0.2, 0.12, Map.of(), NAMES, SamplingSpec.ALL,
                            disjoint);
                    Dataset data = Datasets.load(spec, TASKS, seed);
                    Split split = Split.seeded(data.rows(), seed);
                    Map<String, Double> alone = new LinkedHashMap<>();
                    for (Task t : TASKS) {
                        alone.put(t.name(), trainer.train(data, split, t, setting.getValue(), seed)
                                .testMetrics().get(t.name()));
                    }
                    for (Map.Entry<String, List<List<String>>> g : GROUPINGS.entrySet()) {
                        Map<String, Double> values = new LinkedHashMap<>();
                        for (List<String> group : g.getValue()) {
                            List<Task> tasks = TASKS.stream().filter(t -> group.contains(t.name())).toList();
                            GroupResult r = trainer.train(data, split, tasks, ModelSpec.plain(setting.getValue()), seed);
                            values.putAll(r.testMetrics());
                        }
                        double sum = 0;
                        for (Task t : TASKS) {
                            sum += DeltaM.relative(values.get(t.name()), alone.get(t.name()), t.direction());
                        }
                        deltaM.computeIfAbsent(g.getKey(), k -> new ArrayList<>()).add(sum / TASKS.size());
                    }
                }
                for (Map.Entry<String, List<Double>> e : deltaM.entrySet()) {
                    Interval i = Interval.of(e.getValue().stream().mapToDouble(Double::doubleValue).toArray());
                    md.append(String.format(Locale.ROOT, "| %s | %s | %s | %+.2f [%+.2f, %+.2f] | %d/%d |%n",
                            disjoint ? "disjoint (12 each)" : "shared (all 48)", setting.getKey(), e.getKey(),
                            i.mean(), i.low(), i.high(), e.getValue().stream().filter(x -> x > 0).count(),
                            e.getValue().size()));
                }
            }
        }
        double minutes = (System.nanoTime() - start) / 60e9;
        Stats.write("null-evidence.md", "Synthetic: 3000 rows, 48 features, noise 0.2, 12 % labelled per task;"
                + " four conflicting binary tasks n1..n4 (AUC); seeds 1.." + seeds + " (data, split and training"
                + " seed); equal weighting; Δ of each task against itself trained alone with the same settings and"
                + " seed. Took " + String.format(Locale.ROOT, "%.1f", minutes) + " min.\n\n" + md);
    }
}
