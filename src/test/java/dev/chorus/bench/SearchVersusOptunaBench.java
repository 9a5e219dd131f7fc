package dev.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Datasets;
import dev.chorus.mtl.data.Split;
import dev.chorus.mtl.data.SyntheticSpec;
import dev.chorus.search.Evaluated;
import dev.chorus.search.Hypervolume;
import dev.chorus.search.Sampler;
import dev.chorus.trial.DeltaM;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * Search efficiency against Optuna (issue 9, item 2): Chorus's NSGA-II and random samplers and
 * Optuna's ({@code bench/optuna/search_table.py}, Debian's python3-optuna) search the same tabular
 * problem: the 203 groupings of 6 tasks, each grouping's per-task AUCs measured once by Chorus's trainer
 * ({@link GroupingSearchBench#table}) and written to a file both sides read. Every run's proposals are
 * scored here with one hypervolume: per-task Δ in % against the task's single-task model, and the number
 * of models; the reference is the worst value of each over all 203 groupings (and 7 models), and the
 * hypervolume is given as a share of that of all 203 groupings. Medians over data seeds x sampler seeds.
 *
 * <p>Run: {@code ./mvnw -q test -Dtest=SearchVersusOptunaBench [-Dbench.data-seeds=5] [-Dbench.seeds=5]
 * [-Dbench.trials=96]} or {@code bench/run search}; writes bench/results/search-vs-optuna.md.
 */
class SearchVersusOptunaBench {

    static final int[] CHECKPOINTS = {8, 16, 24, 32, 48, 64, 96};

    @Test
    void run() throws Exception {
        int dataSeeds = Integer.getInteger("bench.data-seeds", 5);
        int seeds = Integer.getInteger("bench.seeds", 5);
        int trials = Integer.getInteger("bench.trials", 96);
        int rows = Integer.getInteger("bench.rows", 3000);
        long start = System.nanoTime();
        Map<String, List<double[]>> curves = new LinkedHashMap<>(); // sampler -> one curve per run
        String optunaVersion = "?";
        for (int dataSeed = 1; dataSeed <= dataSeeds; dataSeed++) {
            Dataset data = Datasets.load(new SyntheticSpec(rows, 48, 0.2, 0.5, Stats.clusters(), List.of("c1")),
                    GroupingSearchBench.TASKS, dataSeed);
            GroupingSearchBench.Table table = GroupingSearchBench.table(data, Split.seeded(data.rows(), dataSeed), dataSeed);
            Scorer scorer = new Scorer(table);

            Path file = Files.createTempFile("chorus-table", ".csv");
            StringBuilder csv = new StringBuilder();
            table.values().forEach((g, v) -> {
                csv.append(String.join("", g.stream().map(String::valueOf).toList()));
                for (double x : v) {
                    csv.append(',').append(x);
                }
                csv.append('\n');
            });
            Files.writeString(file, csv);
            Process p = new ProcessBuilder(TrainingThroughputBench.PYTHON, "bench/optuna/search_table.py", "--table",
                    file.toString(), "--seeds", Integer.toString(seeds), "--trials", Integer.toString(trials),
                    "--population", Integer.toString(GroupingSearchBench.POPULATION))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as("the Optuna script: %s", out).isZero();
            JsonNode optuna = new ObjectMapper().readTree(out);
            optunaVersion = optuna.get("optuna").asText();
            for (String name : List.of("NSGA-II", "random")) {
                optuna.get(name).forEach(run -> {
                    List<List<Integer>> proposed = new ArrayList<>();
                    run.forEach(g -> proposed.add(g.asText().chars().map(c -> c - '0').boxed().toList()));
                    curves.computeIfAbsent("Optuna " + name, k -> new ArrayList<>()).add(scorer.curve(proposed));
                });
            }
            Map<String, LongFunction<Sampler>> chorus = new LinkedHashMap<>();
            chorus.put("Chorus NSGA-II", s -> Sampler.nsga2(GroupingSearchBench.SPACE, 6, s, GroupingSearchBench.POPULATION));
            chorus.put("Chorus random", s -> Sampler.random(GroupingSearchBench.SPACE, 6, s, GroupingSearchBench.POPULATION));
            for (Map.Entry<String, LongFunction<Sampler>> c : chorus.entrySet()) {
                for (int seed = 1; seed <= seeds; seed++) {
                    curves.computeIfAbsent(c.getKey(), k -> new ArrayList<>())
                            .add(scorer.curve(propose(c.getValue().apply(seed), table, trials)));
                }
            }
        }
        List<String> order = List.of("Chorus NSGA-II", "Optuna NSGA-II", "Chorus random", "Optuna random");
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
                The 203 groupings of 6 binary tasks (clusters {a1 a2 a3}, {b1 b2}, conflicting c1; %d rows, 50 %% \
                labelled; the tables of GroupingSearchBench), %d data seeds x %d sampler seeds, %d trials per run, \
                population 8 for both NSGA-IIs; Optuna %s. Hypervolume of the trials so far as a share of the \
                hypervolume of all 203 groupings (1.000: the whole Pareto front found), median over the %d runs \
                of each sampler (in brackets: the 25th and 75th percentiles).

                | trials |""", rows, dataSeeds, seeds, trials, optunaVersion, dataSeeds * seeds));
        order.forEach(n -> md.append(' ').append(n).append(" |"));
        md.append(" Chorus / Optuna NSGA-II |\n|---|").append("---|".repeat(order.size() + 1)).append('\n');
        for (int k = 0; k < CHECKPOINTS.length && CHECKPOINTS[k] <= trials; k++) {
            md.append("| ").append(CHECKPOINTS[k]).append(" |");
            for (String n : order) {
                md.append(' ').append(quartiles(curves.get(n), k)).append(" |");
            }
            md.append(String.format(Locale.ROOT, " %.2f |%n", percentile(curves.get(order.get(0)), k, 0.5)
                    / percentile(curves.get(order.get(1)), k, 0.5)));
        }
        md.append(String.format(Locale.ROOT, "%nThe whole benchmark took %.1f min (the tables' training most of it).%n",
                (System.nanoTime() - start) / 60e9));
        Stats.write("search-vs-optuna.md", md.toString());
    }

    /** The groupings a Chorus sampler proposes, generation by generation, each scored from the table. */
    private static List<List<Integer>> propose(Sampler sampler, GroupingSearchBench.Table table, int trials) {
        List<Evaluated> history = new ArrayList<>();
        List<List<Integer>> proposed = new ArrayList<>();
        for (int generation = 0; proposed.size() < trials; generation++) {
            List<Candidate> next = sampler.sample(generation, GroupingSearchBench.POPULATION);
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
                proposed.add(c.groups());
            }
        }
        return proposed.subList(0, Math.min(trials, proposed.size()));
    }

    /** Hypervolume shares of one table's groupings, with the reference point of all of them. */
    private static final class Scorer {
        private final Map<List<Integer>, double[]> points = new LinkedHashMap<>();
        private final double[] reference = new double[7];
        private final double full;

        Scorer(GroupingSearchBench.Table table) {
            double[] single = table.values().get(List.of(0, 1, 2, 3, 4, 5));
            java.util.Arrays.fill(reference, Double.POSITIVE_INFINITY);
            table.values().forEach((g, v) -> {
                double[] p = new double[7];
                for (int t = 0; t < 6; t++) {
                    p[t] = DeltaM.relative(v[t], single[t], GroupingSearchBench.TASKS.get(t).direction());
                    reference[t] = Math.min(reference[t], p[t]);
                }
                p[6] = -g.stream().distinct().count();
                points.put(g, p);
            });
            for (int t = 0; t < 6; t++) {
                reference[t] -= 1e-6; // the worst grouping still counts a sliver
            }
            reference[6] = -7;
            full = Hypervolume.of(new ArrayList<>(points.values()), reference);
        }

        /** The hypervolume share after each checkpoint's number of trials (the last value held if fewer ran). */
        double[] curve(List<List<Integer>> proposed) {
            double[] curve = new double[CHECKPOINTS.length];
            for (int k = 0; k < CHECKPOINTS.length; k++) {
                List<double[]> seen = proposed.subList(0, Math.min(CHECKPOINTS[k], proposed.size())).stream()
                        .map(points::get).toList();
                curve[k] = Hypervolume.of(seen, reference) / full;
            }
            return curve;
        }
    }

    private static String quartiles(List<double[]> runs, int k) {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", percentile(runs, k, 0.5), percentile(runs, k, 0.25),
                percentile(runs, k, 0.75));
    }

    private static double percentile(List<double[]> runs, int k, double q) {
        double[] v = runs.stream().mapToDouble(c -> c[k]).sorted().toArray();
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return v[lo] + (v[hi] - v[lo]) * (pos - lo);
    }
}
