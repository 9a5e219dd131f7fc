package dev.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Training throughput against PyTorch (issue 9, item 3): Chorus's trainer (DJL on PyTorch's native
 * library) and a plain PyTorch script ({@code bench/torch/mtl_train.py}, Debian's python3-torch) train
 * the same hard-sharing model on the same rows with the same batch size, optimizer and per-epoch
 * validation, one thread each. Each side warms up once, then trains {@code bench.runs} times; the
 * table gives the median samples per second, the ratio, and each process's peak resident set.
 *
 * <p>Run: {@code ./mvnw -q test -Dtest=TrainingThroughputBench [-Dbench.rows=20000] [-Dbench.runs=3]}
 * or {@code bench/run training}; writes bench/results/training-throughput.md.
 */
class TrainingThroughputBench {

    static final String PYTHON = System.getProperty("bench.python", "/usr/bin/python3");

    @Test
    void run() throws Exception {
        int rows = Integer.getInteger("bench.rows", 20_000);
        int features = Integer.getInteger("bench.features", 64);
        int runs = Integer.getInteger("bench.runs", 3);
        int width = 128;
        int depth = 2;
        int batch = 128;
        int epochs = 5;
        double lr = 0.001;
        List<String> names = List.of("t1", "t2", "t3", "t4");
        List<Task> tasks = names.stream().map(n -> new Task(n, TaskType.BINARY, Metric.AUC)).toList();
        Dataset data = Datasets.load(new SyntheticSpec(rows, features, 0.2, 1.0, Map.of("a", names), List.of()),
                tasks, 7);
        Split split = Split.seeded(data.rows(), 7);
        TrainSettings settings = new TrainSettings(width, depth, lr, epochs, batch);
        MtlTrainer trainer = new MtlTrainer();

        trainer.train(data, split, tasks, ModelSpec.plain(settings), 0); // warm-up: native load, JIT
        List<Double> rates = new ArrayList<>();
        List<Integer> epochsRun = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            long t0 = System.nanoTime();
            GroupResult result = trainer.train(data, split, tasks, ModelSpec.plain(settings), run);
            double seconds = (System.nanoTime() - t0) / 1e9;
            epochsRun.add(result.epochsRun());
            rates.add((double) split.train().length * result.epochsRun() / seconds);
        }
        double chorusRss = peakRssMib();

        Path dir = Files.createTempDirectory("chorus-torch-bench");
        write(dir.resolve("data.f32"), data, names);
        ints(dir.resolve("train.i32"), split.train());
        ints(dir.resolve("validation.i32"), split.validation());
        int torchEpochs = epochsRun.stream().sorted().toList().get(epochsRun.size() / 2);
        Process p = new ProcessBuilder(PYTHON, "bench/torch/mtl_train.py", "--data", dir.resolve("data.f32").toString(),
                "--train", dir.resolve("train.i32").toString(), "--validation", dir.resolve("validation.i32").toString(),
                "--features", Integer.toString(features), "--tasks", Integer.toString(names.size()),
                "--width", Integer.toString(width), "--depth", Integer.toString(depth), "--batch", Integer.toString(batch),
                "--epochs", Integer.toString(torchEpochs), "--runs", Integer.toString(runs), "--lr", Double.toString(lr))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("the PyTorch script: %s", out).isZero();
        JsonNode torch = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        List<Double> torchRates = new ArrayList<>();
        torch.get("samplesPerSecond").forEach(n -> torchRates.add(n.asDouble()));
        double torchRss = torch.get("peakRssKib").asDouble() / 1024;

        double chorus = median(rates);
        double py = median(torchRates);
        String md = String.format(Locale.ROOT, """
                Hard sharing, %d binary tasks, %d training rows x %d features (synthetic, seed 7), trunk %d x %d, \
                batch %d, Adam lr %s, equal weights, validation every epoch; one intra-op and one inter-op thread \
                each; one warm-up, then %d timed trainings each (epochs run by Chorus: %s, PyTorch trains the \
                median, %d). Peak resident set of each process (Chorus: the test JVM, heap included).

                | trainer | samples/s (median) | samples/s (runs) | peak RSS MiB |
                |---|---|---|---|
                | Chorus (DJL %s, PyTorch native 2.7.1) | %.0f | %s | %.0f |
                | PyTorch %s (Python) | %.0f | %s | %.0f |

                Ratio Chorus / PyTorch: **%.2f** in throughput, %.2f in peak memory.
                """, names.size(), split.train().length, features, width, depth, batch, lr, runs, epochsRun,
                torchEpochs, "0.35.1", chorus, list(rates), chorusRss, torch.get("torch").asText(), py,
                list(torchRates), torchRss, chorus / py, chorusRss / torchRss);
        Stats.write("training-throughput.md", md);
    }

    private static void write(Path file, Dataset data, List<String> names) throws IOException {
        int width = data.featureCount() + names.size();
        ByteBuffer row = ByteBuffer.allocate(width * 4).order(ByteOrder.LITTLE_ENDIAN);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            for (int r = 0; r < data.rows(); r++) {
                row.clear();
                for (int c = 0; c < data.featureCount(); c++) {
                    row.putFloat(data.feature(r, c));
                }
                for (String task : names) {
                    row.putFloat(data.labels(task)[r]);
                }
                out.write(row.array());
            }
        }
    }

    private static void ints(Path file, int[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            buffer.putInt(v);
        }
        Files.write(file, buffer.array());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String list(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
    }

    private static double peakRssMib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }
}
