package dev.chorus.bench;

import dev.chorus.mtl.Architecture;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Datasets;
import dev.chorus.mtl.data.Split;
import dev.chorus.mtl.data.SyntheticSpec;
import dev.chorus.mtl.train.ModelSpec;
import dev.chorus.mtl.train.MtlTrainer;
import dev.chorus.mtl.train.TaskAffinity;
import dev.chorus.search.AffinityGroupings;
import dev.chorus.search.Evaluated;
import dev.chorus.search.Sampler;
import dev.chorus.search.SearchSpace;
import dev.chorus.search.SearchSpace.IntRange;
import dev.chorus.search.SearchSpace.RealRange;
import dev.chorus.trial.DeltaM;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * How many trials each sampler needs to find the best grouping (issue 4, item 8), as a tabular
 * benchmark: on a 6-task synthetic problem every one of the 63 task subsets is trained once, so the
 * result of each of the 203 groupings is known exactly; the samplers then search over groupings only
 * (every other dimension fixed) and each proposed grouping is looked up instead of retrained. The
 * whole benchmark is repeated for several data seeds (each its own data, split, training seed, table
 * and affinity run), and every sampler runs with several sampler seeds on each table.
 *
 * <p>Run: {@code ./mvnw -q test -Dtest=GroupingSearchBench [-Dbench.data-seeds=5] [-Dbench.seeds=20]
 * [-Dbench.rows=3000] [-Dbench.labelled=0.5]}; writes bench/results/grouping-search.md.
 */
class GroupingSearchBench {

    static final List<Task> TASKS = List.of(task("a1"), task("a2"), task("a3"), task("b1"), task("b2"), task("c1"));
    static final TrainSettings SETTINGS = new TrainSettings(32, 2, 0.003, 20, 32);
    /** The generator's grouping: clusters {a1 a2 a3} and {b1 b2}, c1 alone. */
    static final List<Integer> CLUSTERS = List.of(0, 0, 0, 1, 1, 2);
    static final int AFFINITY_EPOCHS = 10;
    static final int POPULATION = 8;
    /** A study's budget in {@code search-spaces/demo.yaml}. */
    static final int BUDGET = 48;
    /** Groupings only: every other dimension is fixed at {@link #SETTINGS}. */
    static final SearchSpace SPACE = new SearchSpace(6, new RealRange(1, 1, false), List.of(Weighting.EQUAL),
            List.of(32), new IntRange(2, 2), new RealRange(0.003, 0.003, false), new IntRange(20, 20), List.of(32),
            List.of(Architecture.HARD), new IntRange(0, 0), new IntRange(2, 2));
    /** The criteria: a grouping ranked at most this by Δm (1: the best). */
    static final int[] TOP = {1, 5};

    private static Task task(String name) {
        return new Task(name, TaskType.BINARY, Metric.AUC);
    }

    /** Every grouping's per-task test metrics and Δm, from one training of each task subset. */
    record Table(Map<List<Integer>, double[]> values, Map<List<Integer>, Double> deltaM) {

        /** 1 + the number of groupings with a larger Δm. */
        int rank(List<Integer> grouping) {
            double mine = deltaM.get(grouping);
            return 1 + (int) deltaM.values().stream().filter(v -> v > mine).count();
        }

        List<List<Integer>> byDeltaM() {
            return deltaM.entrySet().stream().sorted(Map.Entry.<List<Integer>, Double>comparingByValue().reversed())
                    .map(Map.Entry::getKey).toList();
        }
    }

    @Test
    void run() throws Exception {
        int dataSeeds = Integer.getInteger("bench.data-seeds", 5);
        int seeds = Integer.getInteger("bench.seeds", 20);
        int rows = Integer.getInteger("bench.rows", 3000);
        double labelled = Double.parseDouble(System.getProperty("bench.labelled", "0.5"));
        long start = System.nanoTime();
        SearchSpace space = SPACE;
        Map<String, LongFunction<Sampler>> samplers = new LinkedHashMap<>();
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "Measured %s UTC on %s. Command: `./mvnw -B -q -o test -Dtest=GroupingSearchBench "
                        + "-Dbench.data-seeds=%d -Dbench.seeds=%d -Dbench.rows=%d -Dbench.labelled=%s`.%n%n",
                LocalDateTime.now(ZoneOffset.UTC).withNano(0), machine(), dataSeeds, seeds, rows,
                labelled));
        md.append(String.format(Locale.ROOT,
                "6 binary tasks (clusters {a1 a2 a3}, {b1 b2}, conflicting c1; %d rows, 48 features, noise 0.2, "
                        + "%.0f %% labelled), trunk 32 x 2, lr 0.003, 20 epochs (early stopping), batch 32, equal "
                        + "weighting. Per data seed: data, split and training seed; all 63 task subsets trained once, "
                        + "so all 203 groupings are known; the affinity run trains all 6 tasks for %d epochs. "
                        + "Objectives: the 6 AUCs and the number of models. Trials until a sampler first proposes a "
                        + "grouping with the best Δm, or one of the 5 best (generations of %d), over sampler seeds "
                        + "1..%d; a sampler that never does within 203 trials counts the trials it ran.%n",
                rows, 100 * labelled, AFFINITY_EPOCHS, POPULATION, seeds));
        Map<String, Map<Integer, List<Integer>>> pooled = new LinkedHashMap<>();
        for (int dataSeed = 1; dataSeed <= dataSeeds; dataSeed++) {
            Dataset data = Datasets.load(new SyntheticSpec(rows, 48, 0.2, labelled, Stats.clusters(), List.of("c1")),
                    TASKS, dataSeed);
            Split split = Split.seeded(data.rows(), dataSeed);
            long tableStart = System.nanoTime();
            Table table = table(data, split, dataSeed);
            double tableMinutes = (System.nanoTime() - tableStart) / 60e9;
            long affinityStart = System.nanoTime();
            double[][] affinity = TaskAffinity.measure(data, split, TASKS, SETTINGS, AFFINITY_EPOCHS, dataSeed);
            double affinitySeconds = (System.nanoTime() - affinityStart) / 1e9;
            List<List<Integer>> warm = AffinityGroupings.best(affinity, 6, POPULATION);
            samplers.clear();
            samplers.put("NSGA-II + affinity warm start", seed -> Sampler.nsga2(space, 6, seed, POPULATION, warm));
            samplers.put("NSGA-II", seed -> Sampler.nsga2(space, 6, seed, POPULATION));
            samplers.put("random", seed -> Sampler.random(space, 6, seed, POPULATION));
            Map<String, Map<Integer, List<Integer>>> trials = new LinkedHashMap<>();
            for (Map.Entry<String, LongFunction<Sampler>> s : samplers.entrySet()) {
                for (int seed = 1; seed <= seeds; seed++) {
                    int[] needed = search(s.getValue().apply(seed), table);
                    for (int k = 0; k < TOP.length; k++) {
                        trials.computeIfAbsent(s.getKey(), x -> new LinkedHashMap<>())
                                .computeIfAbsent(TOP[k], x -> new ArrayList<>()).add(needed[k]);
                        pooled.computeIfAbsent(s.getKey(), x -> new LinkedHashMap<>())
                                .computeIfAbsent(TOP[k], x -> new ArrayList<>()).add(needed[k]);
                    }
                }
            }
            List<List<Integer>> ranked = table.byDeltaM();
            md.append(String.format(Locale.ROOT, "%n### Data seed %d%n%nSubsets trained in %.1f min. Best Δm %+.2f %% "
                            + "for %s; the generator's grouping %s has Δm %+.2f %%, rank %d of 203. Top 5: %s. The "
                            + "affinity run (%.0f s) proposed first %s (rank %d); its 4 warm-start groupings rank %s.%n%n",
                    dataSeed, tableMinutes, table.deltaM().get(ranked.getFirst()), names(ranked.getFirst()),
                    names(CLUSTERS), table.deltaM().get(CLUSTERS), table.rank(CLUSTERS),
                    ranked.stream().limit(5).map(g -> names(g) + String.format(Locale.ROOT, " %+.2f", table.deltaM().get(g)))
                            .toList(),
                    affinitySeconds, names(warm.getFirst()), table.rank(warm.getFirst()),
                    warm.stream().limit((POPULATION + 1) / 2).map(table::rank).toList()));
            md.append(affinityMatrix(affinity)).append('\n');
            md.append(summary(trials));
            System.out.println(md);
        }
        md.append(String.format(Locale.ROOT, "%n### Pooled over %d data seeds x %d sampler seeds%n%n", dataSeeds, seeds));
        md.append(summary(pooled));
        md.append(String.format(Locale.ROOT, "%nExhaustive search needs all 203 trials. The whole benchmark took %.1f min.%n",
                (System.nanoTime() - start) / 60e9));
        Stats.write("grouping-search.md", md.toString());
    }

    /** CPU, cores, load and JVM, for reading the timings. */
    private static String machine() {
        String cpu = "unknown CPU";
        String load = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(cpu);
            load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            // not Linux: leave them unknown
        }
        return String.format(Locale.ROOT, "%s, %d cores, load average %s at the start, Java %s, %s", cpu,
                Runtime.getRuntime().availableProcessors(), load, System.getProperty("java.version"),
                System.getProperty("os.name"));
    }

    /** Trains every task subset of {@code data} once and derives every grouping's metrics and Δm. */
    static Table table(Dataset data, Split split, long seed) {
        MtlTrainer trainer = new MtlTrainer();
        Map<Integer, Map<String, Double>> bySubset = new HashMap<>();
        for (int mask = 1; mask < 64; mask++) {
            List<Task> tasks = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                if ((mask & (1 << t)) != 0) {
                    tasks.add(TASKS.get(t));
                }
            }
            bySubset.put(mask, trainer.train(data, split, tasks, ModelSpec.plain(SETTINGS), seed).testMetrics());
        }
        Map<List<Integer>, double[]> values = new LinkedHashMap<>();
        Map<List<Integer>, Double> deltaM = new LinkedHashMap<>();
        for (List<Integer> groups : partitions(6)) {
            double[] v = new double[6];
            double sum = 0;
            for (int t = 0; t < 6; t++) {
                int mask = 0;
                for (int u = 0; u < 6; u++) {
                    if (groups.get(u).equals(groups.get(t))) {
                        mask |= 1 << u;
                    }
                }
                String name = TASKS.get(t).name();
                v[t] = bySubset.get(mask).get(name);
                sum += DeltaM.relative(v[t], bySubset.get(1 << t).get(name), TASKS.get(t).direction());
            }
            values.put(groups, v);
            deltaM.put(groups, sum / 6);
        }
        return new Table(values, deltaM);
    }

    /**
     * Per criterion of {@link #TOP}, the trials a sampler needs before it proposes a grouping ranked at
     * most that by Δm (the trials it ran, when it never does within 203).
     */
    private static int[] search(Sampler sampler, Table table) {
        int[] needed = new int[TOP.length];
        List<Evaluated> history = new ArrayList<>();
        for (int generation = 0; history.size() < 203; generation++) {
            List<Candidate> next = sampler.sample(generation, POPULATION);
            if (next.isEmpty()) {
                break;
            }
            for (Candidate c : next) {
                double[] objectives = new double[7];
                System.arraycopy(table.values().get(c.groups()), 0, objectives, 0, 6);
                objectives[6] = -c.groupCount();
                Evaluated trial = Evaluated.of(c, generation, objectives);
                sampler.observe(trial);
                history.add(trial);
                int rank = table.rank(c.groups());
                for (int k = 0; k < TOP.length; k++) {
                    if (needed[k] == 0 && rank <= TOP[k]) {
                        needed[k] = history.size();
                    }
                }
                if (needed[0] > 0) { // the best is also in every larger top
                    return needed;
                }
            }
        }
        for (int k = 0; k < TOP.length; k++) {
            needed[k] = needed[k] == 0 ? history.size() : needed[k];
        }
        return needed;
    }

    private static String summary(Map<String, Map<Integer, List<Integer>>> trials) {
        StringBuilder md = new StringBuilder("| sampler | to the best: median | mean | worst | found within " + BUDGET
                + " | to a top-5: median | mean | worst | found within " + BUDGET + " |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Map<Integer, List<Integer>>> e : trials.entrySet()) {
            md.append("| ").append(e.getKey());
            for (int top : TOP) {
                List<Integer> n = new ArrayList<>(e.getValue().get(top));
                n.sort(Integer::compare);
                md.append(String.format(Locale.ROOT, " | %s | %.1f | %d | %d/%d", median(n),
                        n.stream().mapToInt(Integer::intValue).average().orElseThrow(), n.getLast(),
                        n.stream().filter(x -> x <= BUDGET).count(), n.size()));
            }
            md.append(" |\n");
        }
        return md.toString();
    }

    private static String median(List<Integer> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? Integer.toString(sorted.get(n / 2))
                : String.format(Locale.ROOT, "%.1f", (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0);
    }

    private static String affinityMatrix(double[][] affinity) {
        StringBuilder s = new StringBuilder("Affinity (row: the task stepped on, column: the task whose loss changes; "
                + "x 1e-4):\n\n| |");
        TASKS.forEach(t -> s.append(' ').append(t.name()).append(" |"));
        s.append("\n|---|").append("---|".repeat(TASKS.size())).append('\n');
        for (int i = 0; i < affinity.length; i++) {
            s.append("| ").append(TASKS.get(i).name()).append(" |");
            for (double v : affinity[i]) {
                s.append(String.format(Locale.ROOT, " %+.1f |", v * 1e4));
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** Every partition of {@code n} tasks as canonical labels (restricted growth strings). */
    static List<List<Integer>> partitions(int n) {
        List<List<Integer>> out = new ArrayList<>();
        grow(new ArrayList<>(List.of(0)), n, out);
        return out;
    }

    private static void grow(List<Integer> prefix, int n, List<List<Integer>> out) {
        if (prefix.size() == n) {
            out.add(List.copyOf(prefix));
            return;
        }
        int max = prefix.stream().mapToInt(Integer::intValue).max().orElse(-1);
        for (int label = 0; label <= max + 1; label++) {
            prefix.add(label);
            grow(prefix, n, out);
            prefix.removeLast();
        }
    }

    private static String names(List<Integer> groups) {
        Map<Integer, List<String>> byGroup = new LinkedHashMap<>();
        for (int t = 0; t < groups.size(); t++) {
            byGroup.computeIfAbsent(groups.get(t), k -> new ArrayList<>()).add(TASKS.get(t).name());
        }
        StringBuilder s = new StringBuilder();
        byGroup.values().forEach(g -> s.append("{").append(String.join(" ", g)).append("}"));
        return s.toString();
    }
}
