package dev.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.dispatch.TrialProtocol;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.search.Hypervolume;
import dev.chorus.server.TrialService;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import dev.chorus.trial.FrontStore;
import dev.chorus.trial.TrialStore;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@code bench/run hypervolume} (issue 18, item 2): what the hypervolume costs, and what a completion
 * costs with a large front.
 * <ol>
 *   <li>{@link Hypervolume#of} (always exact), {@link Hypervolume#estimate} (exact within its work budget,
 *       else Monte Carlo) and {@link Hypervolume#contribution} of one more point (the writer's update of a
 *       front that grew by one) for 3, 5 and 7 objectives at fronts of 50, 100, 200 and 400: seeded points
 *       on the positive unit sphere (none dominates another; every point is on the front), after a warm-up,
 *       median of {@code bench.repeats} runs (3 where a run takes over a second).</li>
 *   <li>The completion path: a study of 6 tasks and the models objective (7 objectives, as the demo) whose
 *       trials are completed through {@code TrialService} with made-up results that put every one on the
 *       front, until it holds {@code bench.front} members; then the latency of the next
 *       {@code bench.timed} completions, and how long after the last the history holds its point.</li>
 * </ol>
 * Runs on the code it is built with: the same file (with {@code Stats}) on the commit before the hypervolume
 * left the completion path, run with {@code -Dbench.compute=false}, gives the "before" row (no writer
 * there: the history is complete when {@code complete} returns).
 */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class HypervolumeBench {

    private static final int[] OBJECTIVES = {3, 5, 7};
    private static final int[] SIZES = {50, 100, 200, 400};
    private static final int REPEATS = Integer.getInteger("bench.repeats", 7);
    private static final int FRONT = Integer.getInteger("bench.front", 200);
    private static final int TIMED = Integer.getInteger("bench.timed", 10);
    private static final String OUT = System.getProperty("bench.out", "hypervolume.md");

    @Inject
    StudyService studies;
    @Inject
    StudyStore store;
    @Inject
    TrialStore trials;
    @Inject
    FrontStore fronts;
    @Inject
    TrialService protocol;

    /** {@code n} seeded points on the positive unit sphere in {@code d} dimensions. */
    static List<double[]> sphere(int n, int d, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] p = new double[d];
            for (int k = 0; k < d; k++) {
                p[k] = Math.abs(random.nextGaussian());
            }
            double norm = Math.sqrt(Arrays.stream(p).map(x -> x * x).sum());
            out.add(Arrays.stream(p).map(x -> x / norm).toArray());
        }
        return out;
    }

    /** The median wall time of {@code work} in ms: 3 runs where the first takes over a second. */
    private static double medianMs(Supplier<Object> work) {
        List<Double> ms = new ArrayList<>();
        int runs = REPEATS;
        for (int r = 0; r < runs; r++) {
            long t = System.nanoTime();
            Object result = work.get();
            ms.add((System.nanoTime() - t) / 1e6);
            assertThat(result).isNotNull();
            if (r == 0 && ms.getFirst() > 1000) {
                runs = Math.min(runs, 3);
            }
        }
        ms.sort(null);
        return ms.get(ms.size() / 2);
    }

    @Test
    void hypervolume() throws Exception {
        String loadBefore = Stats.load();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "# Hypervolume: cost, and a completion's latency with a large front%n%n"
                + "Measured %s on %s, load average %s at the start. Command: `bench/run hypervolume`.%n%n",
                LocalDateTime.now(ZoneOffset.UTC).withNano(0), Stats.machine(), loadBefore));
        if (Boolean.parseBoolean(System.getProperty("bench.compute", "true"))) {
            computeTable(md);
        }
        completionTable(md);
        md.append(String.format(Locale.ROOT, "%nLoad average at the end: %s.%n", Stats.load()));
        Stats.write(OUT, md.toString());
    }

    private void computeTable(StringBuilder md) {
        // warm-up: every path once on small fronts, so that the timed runs are compiled code
        for (int d : OBJECTIVES) {
            List<double[]> warm = sphere(40, d, 99);
            for (int i = 0; i < 5; i++) {
                Hypervolume.of(warm, new double[d]);
                Hypervolume.estimate(warm, new double[d]);
                Hypervolume.contribution(warm.subList(0, 39), warm.get(39), new double[d]);
            }
        }
        md.append(String.format(Locale.ROOT, "## Computing it%n%nSeeded points on the positive unit sphere (all on "
                + "the front), reference at the origin; median ms of %d runs (3 where a run takes over 1 s), after "
                + "a warm-up. `update` is `Hypervolume.contribution` of the last point against the other n - 1: "
                + "what the writer adds when a front grew by one.%n%n", REPEATS));
        md.append("| objectives | front | `of` (exact) ms | `estimate` ms | estimate exact? | ± bound (share of box) "
                + "| `update` ms |\n|---:|---:|---:|---:|---|---:|---:|\n");
        for (int d : OBJECTIVES) {
            for (int n : SIZES) {
                List<double[]> front = sphere(n, d, 1000L * d + n);
                double[] reference = new double[d];
                double of = medianMs(() -> Hypervolume.of(front, reference));
                Hypervolume.Estimate e = Hypervolume.estimate(front, reference);
                double estimate = medianMs(() -> Hypervolume.estimate(front, reference));
                double update = medianMs(() -> Hypervolume.contribution(front.subList(0, n - 1), front.get(n - 1),
                        reference));
                double box = 1; // the sphere's ideal point is at most 1 in every objective
                md.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %.1f | %s | %s | %.2f |%n", d, n, of, estimate,
                        e.exact() ? "yes" : "no (Monte Carlo)", e.exact() ? "0" : String.format(Locale.ROOT, "%.4f",
                                e.error95() / box), update));
                System.out.printf(Locale.ROOT, "d=%d n=%d of %.1f ms estimate %.1f ms update %.2f ms%n", d, n, of,
                        estimate, update);
            }
        }
    }

    private void completionTable(StringBuilder md) throws Exception {
        for (var s : store.listByState(StudyState.RUNNING)) { // claims serve every running study
            store.transition(s.id(), StudyState.RUNNING, StudyState.PAUSED, null, Instant.now());
        }
        String yaml = Files.readString(Path.of("src/test/resources/tiny.yaml"))
                .replace("      a: [a1, a2]\n", "      a: [a1, a2, a3]\n      b: [b1, b2]\n")
                .replace("  - { name: c1, type: binary, metric: accuracy }\n", "  - { name: c1, type: binary, "
                        + "metric: accuracy }\n  - { name: a3, type: binary, metric: auc }\n  - { name: b1, type: "
                        + "binary, metric: auc }\n  - { name: b2, type: binary, metric: auc }\n")
                .replace("max-trials: 8", "max-trials: " + (FRONT + TIMED)).replace("max-minutes: 10", "max-minutes: 600");
        long id = studies.start(studies.create(yaml, Path.of(".")).id()).id();
        int tasks = 6;
        List<double[]> sphere = sphere(FRONT + TIMED, tasks, 7);
        List<Candidate> candidates = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < FRONT + TIMED; i++) {
            List<Integer> groups = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                groups.add(random.nextInt(tasks));
            }
            candidates.add(new Candidate(groups, java.util.Collections.nCopies(tasks, 1.0), Weighting.EQUAL,
                    new TrainSettings(8, 1, 0.01, 2, 64)));
        }
        trials.insert(id, 0, candidates, Instant.now());
        List<Double> latency = new ArrayList<>();
        long lastDone = 0;
        for (int i = 0; i < FRONT + TIMED; i++) {
            TrialProtocol.Assignment a = protocol.claim("bench", Duration.ZERO).orElseThrow();
            TrialProtocol.Completion completion = completion(a, sphere.get(a.number()));
            long t = System.nanoTime();
            protocol.complete(a.trialId(), a.claim(), completion);
            lastDone = System.nanoTime();
            if (i >= FRONT) {
                latency.add((lastDone - t) / 1e6);
            }
        }
        boolean writer = awaitWriter();
        double lag = (System.nanoTime() - lastDone) / 1e6;
        int members = fronts.front(id).size();
        latency.sort(null);
        md.append(String.format(Locale.ROOT, "%n## A completion with a large front%n%nA study of 6 tasks and the models "
                + "objective (7 objectives); made-up results on the unit sphere put every trial on the front. "
                + "Completions %d to %d through `TrialService.complete` (front of %d to %d members, %d at the end), "
                + "one after another.%n%n| code | complete: median ms | max ms | history's last point written, ms "
                + "after the last `complete` returned |%n|---|---:|---:|---:|%n| %s | %.1f | %.1f | %s |%n", FRONT + 1,
                FRONT + TIMED, FRONT, FRONT + TIMED - 1, members, writer ? "hypervolume off the path (HypervolumeWriter)"
                        : "hypervolume computed in `complete`, under the front lock", latency.get(latency.size() / 2),
                latency.getLast(), writer ? String.format(Locale.ROOT, "%.0f", lag) : "0 (written inside)"));
        store.transition(id, StudyState.RUNNING, StudyState.CANCELLED, null, Instant.now());
    }

    /** Results whose deltas against baselines of 0.5 lie on the sphere: every trial joins the front. */
    private TrialProtocol.Completion completion(TrialProtocol.Assignment a, double[] point) {
        List<TrialProtocol.Result> results = new ArrayList<>();
        List<TrialProtocol.NewBaseline> baselines = new ArrayList<>();
        for (int t = 0; t < a.tasks().size(); t++) {
            TrialProtocol.TaskInfo task = a.tasks().get(t);
            double baseline = protocol.baseline(task.baselineHash()).orElse(0.5);
            // a larger value is better on a maximised metric, a smaller one on a minimised one (rmse)
            double sign = task.direction().toLowerCase(Locale.ROOT).startsWith("min") ? -1 : 1;
            results.add(new TrialProtocol.Result(task.name(), baseline * (1 + sign * 0.8 * point[t]), 0.5,
                    task.baselineHash()));
            if (protocol.baseline(task.baselineHash()).isEmpty()
                    && baselines.stream().noneMatch(b -> b.hash().equals(task.baselineHash()))) {
                baselines.add(new TrialProtocol.NewBaseline(task.baselineHash(), task.name(), 0.5, 0.5, 1, null));
            }
        }
        return new TrialProtocol.Completion(results, baselines);
    }

    /** Waits for the hypervolume writer where there is one (found by name: the older code has none). */
    private boolean awaitWriter() throws Exception {
        try { // since the front writer: the fronts take the completions after they return
            Object idle = TrialService.class.getMethod("awaitFronts", Duration.class).invoke(protocol, Duration.ofMinutes(10));
            assertThat(idle).isEqualTo(true);
        } catch (NoSuchMethodException e) {
            // a build whose completions return after their front's update
        }
        Class<?> type;
        try {
            type = Class.forName("dev.chorus.server.HypervolumeWriter");
        } catch (ClassNotFoundException e) {
            return false;
        }
        Object writer = Arc.container().instance(type).get();
        Object idle = type.getMethod("awaitIdle", Duration.class).invoke(writer, Duration.ofMinutes(10));
        assertThat(idle).isEqualTo(true);
        return true;
    }
}
