package dev.chorus.bench;

import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Datasets;
import dev.chorus.mtl.data.Split;
import dev.chorus.mtl.data.SyntheticSpec;
import dev.chorus.mtl.train.ModelSpec;
import dev.chorus.mtl.train.MtlTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker's memory across many consecutive trainings (issue 3, item 6): the process's resident set
 * and the JVM heap after every 50 trainings of a small two-task model.
 *
 * <p>Run: {@code ./mvnw -q test -Dtest=TrainingMemoryBench [-Dbench.trainings=500]}; writes
 * bench/results/training-memory.md.
 */
class TrainingMemoryBench {

    @Test
    void run() throws Exception {
        int trainings = Integer.getInteger("bench.trainings", 500);
        List<Task> tasks = List.of(new Task("a1", TaskType.BINARY, Metric.AUC),
                new Task("a2", TaskType.BINARY, Metric.AUC));
        Dataset data = Datasets.load(new SyntheticSpec(1000, 20, 0.2, 1.0, Map.of("a", List.of("a1", "a2")),
                List.of()), tasks, 1);
        Split split = Split.seeded(data.rows(), 1);
        TrainSettings settings = new TrainSettings(32, 2, 0.003, 3, 64);
        MtlTrainer trainer = new MtlTrainer();
        StringBuilder md = new StringBuilder("A two-task model (1000 rows, 20 features, trunk 32 x 2, 3 epochs, batch 64) "
                + "trained " + trainings + " times in one JVM (-Xmx2g). Resident set from /proc/self/status; heap after "
                + "System.gc().\n\n| trainings | resident set MiB | heap used MiB | s per training |\n|---|---|---|---|\n");
        long t0 = System.nanoTime();
        long last = t0;
        for (int i = 1; i <= trainings; i++) {
            trainer.train(data, split, tasks, ModelSpec.plain(settings), i);
            if (i == 1 || i % 50 == 0) {
                long now = System.nanoTime();
                System.gc();
                Runtime rt = Runtime.getRuntime();
                md.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.3f |%n", i, rssMib(),
                        (rt.totalMemory() - rt.freeMemory()) / 1048576.0, (now - last) / 1e9 / (i == 1 ? 1 : 50)));
                last = now;
            }
        }
        Stats.write("training-memory.md", md.toString());
    }

    private static double rssMib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }
}
