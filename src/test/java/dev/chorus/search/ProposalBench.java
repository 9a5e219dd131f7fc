package dev.chorus.search;

import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 18.3: what one NSGA-II proposal (a generation of {@code population} candidates) costs with
 * 1,000, 100,000 and 1,000,000 finished trials in the sampler's state, and what the one-time rebuild
 * from a list of trials and the state's heap cost. Synthetic trials in memory, no database: six tasks,
 * random candidates, seven objectives drawn uniformly (the demo's six tasks plus the model count; a
 * search that never converges, the archive's worst case: most trials dominate each other rarely).
 *
 * <p>Run: {@code bench/run proposal} ({@code ./mvnw -q test -Dtest=ProposalBench}; options
 * {@code -Dbench.sizes=1000,100000,1000000 -Dbench.population=8 -Dbench.repeats=50}); writes
 * bench/results/proposal.md.
 */
class ProposalBench {

    private static final int TASKS = 6;
    private static final int OBJECTIVES = 7;
    private static final long SEED = 18;

    private final int population = Integer.getInteger("bench.population", 8);
    private final int repeats = Integer.getInteger("bench.repeats", 50);

    /** {@code n} trials of distinct random candidates, {@code population} to a generation from {@code first}. */
    private List<Evaluated> trials(SplittableRandom random, int first, int n) {
        List<Evaluated> out = new ArrayList<>(n);
        for (int i = first; i < first + n; i++) {
            List<Integer> groups = new ArrayList<>(TASKS);
            List<Double> weights = new ArrayList<>(TASKS);
            for (int t = 0; t < TASKS; t++) {
                groups.add(random.nextInt(4));
                weights.add(0.1 + 3.9 * random.nextDouble());
            }
            Candidate c = new Candidate(groups, weights, Weighting.FIXED,
                    new TrainSettings(32 << random.nextInt(3), 1 + random.nextInt(4), 1e-4 + random.nextDouble() * 0.1,
                            5 + random.nextInt(46), 16 << random.nextInt(3)));
            double[] objectives = new double[OBJECTIVES];
            for (int k = 0; k < OBJECTIVES; k++) {
                objectives[k] = random.nextDouble();
            }
            out.add(Evaluated.of(c, i / population, objectives));
        }
        return out;
    }

    private Sampler sampler() {
        return Sampler.nsga2(Fixtures.space(), TASKS, SEED, population);
    }

    private static long heapUsed() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double median(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double p90(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(0.9 * sorted.length) - 1];
    }

    /** One row: rebuild, proposal, a generation observed then proposed, heap. */
    private String measure(int n, boolean record) {
        SplittableRandom random = new SplittableRandom(SEED + n);
        long heapBefore = heapUsed();
        List<Evaluated> history = trials(random, 0, n);
        int generation = n / population + 1;
        long t0 = System.nanoTime();
        Sampler sampler = sampler();
        history.forEach(sampler::observe);
        sampler.sample(generation, population);
        double rebuildMs = (System.nanoTime() - t0) / 1e6;
        history = null; // only the sampler's state stays
        long heapAfter = heapUsed();
        for (int i = 0; i < 20; i++) { // warm the proposal path
            sampler.sample(generation + i, population);
        }
        double[] proposal = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long s = System.nanoTime();
            sampler.sample(generation + i, population);
            proposal[i] = (System.nanoTime() - s) / 1e6;
        }
        double[] step = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            List<Evaluated> next = trials(random, n + i * population, population);
            long s = System.nanoTime();
            next.forEach(sampler::observe);
            sampler.sample(generation + i + 1, population);
            step[i] = (System.nanoTime() - s) / 1e6;
        }
        int archived = ((Nsga2Sampler) sampler).archived();
        return !record ? "" : String.format(Locale.ROOT, "| %,d | %,.0f | %.2f, %.2f | %.2f, %.2f | %d | %.1f |%n", n,
                rebuildMs, median(proposal), p90(proposal), median(step), p90(step), archived,
                (heapAfter - heapBefore) / 1048576.0);
    }

    /** What the former sampler did on every proposal: rank the whole history. */
    private String former(int n) {
        List<Evaluated> history = trials(new SplittableRandom(SEED), 0, n);
        double[] ms = new double[5];
        for (int i = 0; i < ms.length; i++) {
            long s = System.nanoTime();
            Ranking.canonical(history);
            ms[i] = (System.nanoTime() - s) / 1e6;
        }
        return String.format(Locale.ROOT, "| %,d | %.1f |%n", n, median(ms));
    }

    @Test
    void proposalCostAgainstTrialsObserved() throws IOException {
        int[] sizes = Arrays.stream(System.getProperty("bench.sizes", "1000,100000,1000000").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        measure(1_000, false); // JIT warm-up
        measure(10_000, false);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "# NSGA-II proposal cost against the trials observed (issue 18.3)%n%n"
                + "`bench/run proposal` (`ProposalBench`), %s, %d cores, Java %s, max heap %d MiB, load average %.2f at"
                + " the start. Population %d (a generation of %d candidates), six tasks, seven uniform objectives,"
                + " archive bound %d (truncated to half when reached); times in ms, median and p90 over %d proposals after 20 warm-up proposals.%n%n",
                java.time.Instant.now().toString().substring(0, 16), Runtime.getRuntime().availableProcessors(),
                Runtime.version(), Runtime.getRuntime().maxMemory() / 1048576,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), population, population,
                Archive.CAPACITY_PER_POPULATION * population, repeats));
        md.append("| finished trials observed | one-time rebuild (observe all + first proposal), ms | proposal, ms"
                + " (median, p90) | one generation observed + proposal, ms (median, p90) | archive members | heap held"
                + " by the sampler, MiB |\n|---|---|---|---|---|---|\n");
        for (int n : sizes) {
            md.append(measure(n, true));
        }
        md.append("\nFor comparison, what the former sampler did on every proposal, ranking the whole history"
                + " (`Ranking.canonical`, median of 5), ms:\n\n| finished trials | whole-history ranking, ms |\n|---|---|\n");
        for (int n : new int[] {1_000, 4_000}) {
            md.append(former(n));
        }
        Path out = Path.of("bench", "results", "proposal.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
    }
}
