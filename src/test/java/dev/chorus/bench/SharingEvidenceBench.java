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
 * What sharing itself buys on the data of the null and positive cases (issue 14), with no search and no
 * selection: each grouping is trained shared and each task alone with the same settings, data, split
 * and seed, so a gain here is a gain from sharing a trunk, not from picking the luckiest of many
 * configurations or from better settings.
 * <ul>
 *   <li>null ({@code bench/optimism/null.yaml}'s data): four tasks that share no latent structure, reading
 *       all 48 features (the generator's default) or each its own block of 12 ({@code disjoint: true});</li>
 *   <li>positive ({@code bench/optimism/positive.yaml}'s data): the demo's two clusters, 6 % or 3 % labelled,
 *       with 48 or 96 features and a latent code 4 or 8 wide (more features and a wider code make a task
 *       alone harder to learn from few labels; positive.yaml keeps 48 and 4, see BENCHMARKS.md).</li>
 * </ul>
 *
 * <p>Besides each fixed setting, a "tuned" row compares both sides at their best on validation among the
 * two settings and two more ({@link #MORE_SETTINGS}): each task alone at its own best, each grouping at
 * the settings best for its tasks' mean, as the study's tuned references and candidates are chosen.
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

    /** Two more settings from the positive case's search space, for the tuned comparison only. */
    static final List<TrainSettings> MORE_SETTINGS = List.of(new TrainSettings(64, 2, 0.003, 25, 32),
            new TrainSettings(32, 1, 0.006, 15, 32));

    /** One seed's trained models of a grouping (or of every task alone): each task's validation and test metric. */
    record Fit(Map<String, Double> validation, Map<String, Double> test) {
        static final Fit EMPTY = new Fit(Map.of(), Map.of());

        Fit and(GroupResult r) {
            return and(new Fit(r.validationMetrics(), r.testMetrics()));
        }

        Fit and(Fit other) {
            Map<String, Double> v = new LinkedHashMap<>(validation);
            Map<String, Double> t = new LinkedHashMap<>(test);
            v.putAll(other.validation);
            t.putAll(other.test);
            return new Fit(v, t);
        }

        Fit only(Task task) {
            return new Fit(Map.of(task.name(), validation.get(task.name())), Map.of(task.name(), test.get(task.name())));
        }

        /** The task's validation metric, larger better. */
        double validation(Task task) {
            return task.direction().sign() * validation.get(task.name());
        }

        double meanValidation(List<Task> tasks) {
            return tasks.stream().mapToDouble(this::validation).average().orElseThrow();
        }

        /** Test Δm (%) of this fit against {@code alone}, over {@code tasks}. */
        double deltaM(Fit alone, List<Task> tasks) {
            return tasks.stream().mapToDouble(t -> DeltaM.relative(test.get(t.name()), alone.test.get(t.name()),
                    t.direction())).average().orElseThrow();
        }
    }

    private static void row(StringBuilder md, String design, String settings, String grouping, double[] deltaM) {
        Interval i = Interval.of(deltaM);
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %+.2f [%+.2f, %+.2f] | %d/%d |%n", design, settings,
                grouping, i.mean(), i.low(), i.high(), java.util.Arrays.stream(deltaM).filter(x -> x > 0).count(),
                deltaM.length));
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
                        positiveGroupings),
                new Design("positive, 96 features, latent 8, 6 % labelled",
                        new SyntheticSpec(3000, 96, 0.2, 0.06, clusters, List.of(), SamplingSpec.ALL, false, 8),
                        binary(positives), positiveGroupings),
                new Design("positive, 48 features, latent 8, 6 % labelled",
                        new SyntheticSpec(3000, 48, 0.2, 0.06, clusters, List.of(), SamplingSpec.ALL, false, 8),
                        binary(positives), positiveGroupings));
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
        List<TrainSettings> all = new ArrayList<>(SETTINGS.values());
        all.addAll(MORE_SETTINGS);
        for (Design design : designs()) {
            if (!design.name().contains(only)) {
                continue;
            }
            // per setting (SETTINGS, then MORE_SETTINGS), per grouping ("" = every task alone): each seed's fit
            Map<Integer, Map<String, List<Fit>>> fits = new LinkedHashMap<>();
            for (int s = 0; s < all.size(); s++) {
                Map<String, List<Fit>> bySetting = new LinkedHashMap<>();
                bySetting.put("", new ArrayList<>());
                design.groupings().keySet().forEach(g -> bySetting.put(g, new ArrayList<>()));
                fits.put(s, bySetting);
            }
            for (int seed = 1; seed <= seeds; seed++) {
                Dataset data = Datasets.load(design.spec(), design.tasks(), seed);
                Split split = Split.seeded(data.rows(), seed);
                for (int s = 0; s < all.size(); s++) {
                    Fit alone = Fit.EMPTY;
                    for (Task t : design.tasks()) {
                        alone = alone.and(trainer.train(data, split, t, all.get(s), seed));
                    }
                    fits.get(s).get("").add(alone);
                    for (Map.Entry<String, List<List<String>>> g : design.groupings().entrySet()) {
                        Fit shared = Fit.EMPTY;
                        for (List<String> group : g.getValue()) {
                            List<Task> tasks = design.tasks().stream().filter(t -> group.contains(t.name())).toList();
                            shared = shared.and(trainer.train(data, split, tasks, ModelSpec.plain(all.get(s)), seed));
                        }
                        fits.get(s).get(g.getKey()).add(shared);
                    }
                }
            }
            List<String> names = new ArrayList<>(SETTINGS.keySet());
            for (int s = 0; s < SETTINGS.size(); s++) {
                Map<String, List<Fit>> at = fits.get(s);
                for (String grouping : design.groupings().keySet()) {
                    double[] deltaM = new double[seeds];
                    for (int i = 0; i < seeds; i++) {
                        deltaM[i] = at.get(grouping).get(i).deltaM(at.get("").get(i), design.tasks());
                    }
                    row(md, design.name(), names.get(s), grouping, deltaM);
                }
            }
            for (String grouping : design.groupings().keySet()) {
                double[] deltaM = new double[seeds];
                for (int i = 0; i < seeds; i++) {
                    int seed = i;
                    // each task alone at the settings its validation metric likes best; the grouping at the
                    // settings whose mean validation metric over its tasks is best: both tuned the same way
                    Fit alone = Fit.EMPTY;
                    for (Task t : design.tasks()) {
                        alone = alone.and(fits.values().stream().map(f -> f.get("").get(seed))
                                .max(java.util.Comparator.comparingDouble(f -> f.validation(t))).orElseThrow().only(t));
                    }
                    Fit shared = fits.values().stream().map(f -> f.get(grouping).get(seed))
                            .max(java.util.Comparator.comparingDouble(f -> f.meanValidation(design.tasks()))).orElseThrow();
                    deltaM[i] = shared.deltaM(alone, design.tasks());
                }
                row(md, design.name(), "tuned: each side at its best of the " + all.size() + " settings on validation",
                        grouping, deltaM);
            }
        }
        double minutes = (System.nanoTime() - start) / 60e9;
        String metric = System.getProperty("bench.metric", "auc");
        Stats.write((only.isEmpty() ? "sharing-evidence" : "sharing-evidence-" + only.replaceAll("[^A-Za-z0-9]+", "-"))
                + (metric.equals("auc") ? "" : "-" + metric) + ".md", "Synthetic, 3000 rows, 48 features, noise 0.2, binary tasks ("
                + metric + "): the"
                + " null case's four conflicting tasks at 12 % labelled, and the positive case's two clusters at 6 % or 3 %"
                + " (48 or 96 features, a latent code 4 or 8 wide);"
                + (only.isEmpty() ? "" : " only the designs whose name contains '" + only + "';")
                + " seeds 1.." + seeds + " (data, split and training seed); equal weighting; Δ of each task against"
                + " itself trained alone with the same settings and seed (the tuned rows: each side at its best"
                + " setting on validation, among those above and " + MORE_SETTINGS + "). Took "
                + String.format(Locale.ROOT, "%.1f", minutes) + " min.\n\n" + md);
    }
}
