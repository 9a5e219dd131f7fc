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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What sharing itself buys on the data of the null and positive cases (issue 14), with no search and no
 * selection: each grouping is trained shared and each task alone with the same settings, data, split
 * and seed, so a gain here is a gain from sharing a trunk, not from picking the luckiest of many
 * configurations or from better settings.
 * <ul>
 *   <li>null ({@code bench/optimism/null.yaml}'s data): four tasks that share no latent structure, reading
 *       all 48 features (the generator's default) or each its own block of 12 ({@code disjoint: true});</li>
 *   <li>positive ({@code bench/optimism/positive.yaml}'s data): the demo's two clusters, 6 % or 3 % labelled,
 *       with 48 or 96 features (more features make a task alone harder to learn from few labels).</li>
 * </ul>
 *
 * <p>Run: {@code bench/run sharing-evidence} (options {@code -Dbench.seeds=10}, and
 * {@code -Dbench.designs=positive} for the designs whose name contains it, {@code -Dbench.metric=log_loss}
 * to judge the binary tasks by another metric than AUC); writes bench/results/sharing-evidence.md
 * (sharing-evidence-positive.md and so on with a filter, with "-log_loss" for another metric).
 */
class SharingEvidenceBench {

    static final Map<String, TrainSettings> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("baseline 32 x 2, lr 0.003, 20 epochs", new TrainSettings(32, 2, 0.003, 20, 32));
        SETTINGS.put("64 x 1, lr 0.005, 25 epochs", new TrainSettings(64, 1, 0.005, 25, 32));
    }

    record Design(String name, SyntheticSpec spec, List<Task> tasks, Map<String, List<List<String>>> groupings) {
    }

    static List<Design> designs() {
        List<String> nulls = List.of("n1", "n2", "n3", "n4");
        Map<String, List<List<String>>> nullGroupings = new LinkedHashMap<>();
        nullGroupings.put("one model {n1 n2 n3 n4}", List.of(nulls));
        nullGroupings.put("pairs {n1 n2}{n3 n4}", List.of(List.of("n1", "n2"), List.of("n3", "n4")));
        Map<String, List<String>> clusters = new LinkedHashMap<>();
        clusters.put("spending", List.of("basket", "upsell", "tier"));
        clusters.put("loyalty", List.of("renewal", "referral"));
        List<String> positives = List.of("basket", "upsell", "tier", "renewal", "referral");
        Map<String, List<List<String>>> positiveGroupings = new LinkedHashMap<>();
        positiveGroupings.put("true clusters {basket upsell tier}{renewal referral}",
                List.of(clusters.get("spending"), clusters.get("loyalty")));
        positiveGroupings.put("one model for all five", List.of(positives));
        return List.of(
                new Design("null, shared features (all 48)", new SyntheticSpec(3000, 48, 0.2, 0.12, Map.of(), nulls),
                        binary(nulls), nullGroupings),
                new Design("null, disjoint features (12 each)", new SyntheticSpec(3000, 48, 0.2, 0.12, Map.of(), nulls,
                        SamplingSpec.ALL, true), binary(nulls), nullGroupings),
                new Design("positive, 6 % labelled", new SyntheticSpec(3000, 48, 0.2, 0.06, clusters, List.of()),
                        binary(positives), positiveGroupings),
                new Design("positive, 3 % labelled", new SyntheticSpec(3000, 48, 0.2, 0.03, clusters, List.of()),
                        binary(positives), positiveGroupings),
                new Design("positive, 96 features, 6 % labelled",
                        new SyntheticSpec(3000, 96, 0.2, 0.06, clusters, List.of()), binary(positives),
                        positiveGroupings));
    }

    private static List<Task> binary(List<String> names) {
        Metric metric = Metric.valueOf(System.getProperty("bench.metric", "auc").toUpperCase(java.util.Locale.ROOT));
        return names.stream().map(n -> new Task(n, TaskType.BINARY, metric)).toList();
    }

    @Test
    void run() throws Exception {
        int seeds = Integer.getInteger("bench.seeds", 10);
        MtlTrainer trainer = new MtlTrainer();
        StringBuilder md = new StringBuilder();
        long start = System.nanoTime();
        md.append("| data | settings | grouping | test Δm % against the tasks alone (mean [95 % interval]) |")
                .append(" seeds with Δm > 0 |\n|---|---|---|---|---|\n");
        String only = System.getProperty("bench.designs", "");
        for (Design design : designs()) {
            if (!design.name().contains(only)) {
                continue;
            }
            for (Map.Entry<String, TrainSettings> setting : SETTINGS.entrySet()) {
                Map<String, double[]> deltaM = new LinkedHashMap<>();
                design.groupings().keySet().forEach(g -> deltaM.put(g, new double[seeds]));
                for (int seed = 1; seed <= seeds; seed++) {
                    Dataset data = Datasets.load(design.spec(), design.tasks(), seed);
                    Split split = Split.seeded(data.rows(), seed);
                    Map<String, Double> alone = new LinkedHashMap<>();
                    for (Task t : design.tasks()) {
                        alone.put(t.name(), trainer.train(data, split, t, setting.getValue(), seed)
                                .testMetrics().get(t.name()));
                    }
                    for (Map.Entry<String, List<List<String>>> g : design.groupings().entrySet()) {
                        Map<String, Double> values = new LinkedHashMap<>();
                        for (List<String> group : g.getValue()) {
                            List<Task> tasks = design.tasks().stream().filter(t -> group.contains(t.name())).toList();
                            GroupResult r = trainer.train(data, split, tasks, ModelSpec.plain(setting.getValue()), seed);
                            values.putAll(r.testMetrics());
                        }
                        double sum = 0;
                        for (Task t : design.tasks()) {
                            sum += DeltaM.relative(values.get(t.name()), alone.get(t.name()), t.direction());
                        }
                        deltaM.get(g.getKey())[seed - 1] = sum / design.tasks().size();
                    }
                }
                deltaM.forEach((grouping, values) -> {
                    Interval i = Interval.of(values);
                    md.append(String.format(Locale.ROOT, "| %s | %s | %s | %+.2f [%+.2f, %+.2f] | %d/%d |%n",
                            design.name(), setting.getKey(), grouping, i.mean(), i.low(), i.high(),
                            java.util.Arrays.stream(values).filter(x -> x > 0).count(), values.length));
                });
            }
        }
        double minutes = (System.nanoTime() - start) / 60e9;
        String metric = System.getProperty("bench.metric", "auc");
        Stats.write((only.isEmpty() ? "sharing-evidence" : "sharing-evidence-" + only.replaceAll("[^A-Za-z0-9]+", "-"))
                + (metric.equals("auc") ? "" : "-" + metric) + ".md", "Synthetic, 3000 rows, 48 features, noise 0.2, binary tasks ("
                + metric + "): the"
                + " null case's four conflicting tasks at 12 % labelled, and the positive case's two clusters at 6 % or 3 %"
                + " (48 or 96 features);"
                + (only.isEmpty() ? "" : " only the designs whose name contains '" + only + "';")
                + " seeds 1.." + seeds + " (data, split and training seed); equal weighting; Δ of each task against"
                + " itself trained alone with the same settings and seed. Took "
                + String.format(Locale.ROOT, "%.1f", minutes) + " min.\n\n" + md);
    }
}
