package dev.chorus.server;

import dev.chorus.TestStudies;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.search.Pareto;
import dev.chorus.spec.SpecParser;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.Objectives;
import dev.chorus.trial.Score;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The front of a study's settled configurations as {@link FrontKeeper}'s recomputation finds it, one
 * configuration at a time ({@link StreamedFront}) against the pairwise front over the whole list it replaced,
 * on seeded configurations of tiny.yaml's 3 tasks and models (4 objectives), each task's validation delta
 * uniform in [-20, +20] %. Only the computation: the reading of the study is not in it.
 *
 * <p>Run: {@code bench/run front [-- -Dbench.sizes=10000,100000]}; writes bench/results/front.md.
 */
class StreamedFrontBench {

    @Test
    void run() throws Exception {
        StudySpec spec = SpecParser.parse(TestStudies.tinyYaml(), Path.of("."));
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Measured %s on %d cores, Java %s; load "
                + "average %s at the start. Command: `bench/run front`.%n%n| configurations | front | streamed ms "
                + "(3 calls) | pairwise ms (3 calls) |%n|---|---|---|---|%n", Instant.now(),
                Runtime.getRuntime().availableProcessors(), Runtime.version(),
                Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
        for (String size : System.getProperty("bench.sizes", "10000,100000").split(",")) {
            int n = Integer.parseInt(size.trim());
            List<Trial> settled = configurations(n, new Random(n));
            List<String> streamed = new ArrayList<>();
            List<String> pairwise = new ArrayList<>();
            int front = -1;
            for (int call = 0; call < 3; call++) {
                long t0 = System.nanoTime();
                StreamedFront f = new StreamedFront(spec);
                settled.forEach(t -> f.offer(t, null));
                front = f.trials().size();
                long t1 = System.nanoTime();
                int other = Pareto.nonDominated(settled.stream().map(t -> Objectives.of(spec, t)).toList()).size();
                long t2 = System.nanoTime();
                if (other != front) {
                    throw new AssertionError("fronts differ: " + front + " against " + other);
                }
                streamed.add(String.format(Locale.ROOT, "%.1f", (t1 - t0) / 1e6));
                pairwise.add(String.format(Locale.ROOT, "%.1f", (t2 - t1) / 1e6));
            }
            md.append(String.format(Locale.ROOT, "| %,d | %d | %s | %s |%n", n, front, String.join(", ", streamed),
                    String.join(", ", pairwise)));
        }
        Path out = Path.of("bench", "results", "front.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.print(md);
    }

    private static List<Trial> configurations(int n, Random random) {
        List<List<Integer>> groupings = List.of(List.of(0, 0, 0), List.of(0, 0, 1), List.of(0, 1, 2));
        List<Trial> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<TaskResult> results = new ArrayList<>();
            for (String task : List.of("a1", "a2", "c1")) {
                results.add(new TaskResult(task, new Score(0.5, 0.5, random.nextDouble() * 40 - 20),
                        new Score(0.5, 0.5, 0)));
            }
            Candidate c = new Candidate(groupings.get(random.nextInt(3)), List.of(1.0, 1.0, 1.0), Weighting.EQUAL,
                    new TrainSettings(8, 1, 0.01, 2, 64));
            out.add(new Trial(i + 1, 1, i, 0, 0, null, null, c, TrialState.COMPLETE, 1, "w", 0.0, 0.0, null, null,
                    null, null, results));
        }
        return out;
    }
}
