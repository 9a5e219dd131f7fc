package dev.chorus.mtl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Split;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MtlTrainerTest {

    private static final Task SIGN = new Task("sign", TaskType.BINARY, Metric.ACCURACY);
    private static final Task LEVEL = new Task("level", TaskType.REGRESSION, Metric.RMSE);
    private static final Task BAND = new Task("band", TaskType.MULTICLASS, Metric.ACCURACY);
    private static final List<Task> ALL = List.of(SIGN, LEVEL, BAND);
    private static final TrainSettings SETTINGS = new TrainSettings(32, 2, 0.01, 15, 32);

    private final MtlTrainer trainer = new MtlTrainer();

    /**
     * Easy tasks of 5 standard normal features: sign = [x0 + x1 > 0], level = 100 + 10 x0 (in its own
     * units), band = which third x2 falls in; each keeps a label on {@code labelled} of the rows.
     */
    static Dataset easy(int rows, double labelled, long seed) {
        Random random = new Random(seed);
        int d = 5;
        float[] x = new float[rows * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] sign = new float[rows];
        float[] level = new float[rows];
        float[] band = new float[rows];
        for (int i = 0; i < rows; i++) {
            float x0 = x[i * d];
            float x2 = x[i * d + 2];
            sign[i] = random.nextDouble() < labelled ? (x0 + x[i * d + 1] > 0 ? 1 : 0) : Float.NaN;
            level[i] = random.nextDouble() < labelled ? 100 + 10 * x0 : Float.NaN;
            band[i] = random.nextDouble() < labelled ? (x2 < -0.43f ? 0 : x2 < 0.43f ? 1 : 2) : Float.NaN;
        }
        Map<String, float[]> labels = new LinkedHashMap<>();
        labels.put("sign", sign);
        labels.put("level", level);
        labels.put("band", band);
        return new Dataset("easy", List.of("x0", "x1", "x2", "x3", "x4"), x, labels, Map.of("sign", 2, "band", 3));
    }

    @Test
    void learnsEasyTasksOfEveryType() {
        Dataset data = easy(800, 1.0, 1);
        GroupResult result = trainer.train(data, Split.seeded(800, 1), ALL, ModelSpec.plain(SETTINGS), 1);
        assertThat(result.testMetrics()).containsOnlyKeys("sign", "level", "band");
        assertThat(result.testMetrics().get("sign")).isGreaterThan(0.9);
        assertThat(result.testMetrics().get("level")).as("rmse in the label's units (sd 10)").isLessThan(3);
        assertThat(result.testMetrics().get("band")).isGreaterThan(0.8);
        assertThat(result.validationByEpoch()).hasSize(result.epochsRun());
        assertThat(result.epochsRun()).isBetween(1, SETTINGS.epochs());
        assertThat(result.validationByEpoch().getLast()).containsOnlyKeys("sign", "level", "band");
        assertThat(result.validationByEpoch().getLast().get("sign"))
                .isGreaterThan(result.validationByEpoch().getFirst().get("sign") - 0.05);
    }

    @Test
    void singleTaskBaselineIsOneTask() {
        Dataset data = easy(600, 1.0, 2);
        GroupResult result = trainer.train(data, Split.seeded(600, 2), SIGN, SETTINGS, 2);
        assertThat(result.testMetrics()).containsOnlyKeys("sign");
        assertThat(result.testMetrics().get("sign")).isGreaterThan(0.9);
    }

    @Test
    void sameSeedSameResult() {
        Dataset data = easy(500, 0.7, 3);
        Split split = Split.seeded(500, 3);
        GroupResult first = trainer.train(data, split, ALL, ModelSpec.plain(SETTINGS), 9);
        GroupResult second = trainer.train(data, split, ALL, ModelSpec.plain(SETTINGS), 9);
        assertThat(second).isEqualTo(first);
        GroupResult other = trainer.train(data, split, ALL, ModelSpec.plain(SETTINGS), 10);
        assertThat(other.validationByEpoch()).isNotEqualTo(first.validationByEpoch());
    }

    @Test
    void unlabelledRowsContributeNothing() {
        Dataset data = easy(500, 0.5, 4);
        Split split = Split.seeded(500, 4);
        EncodedData clean = EncodedData.of(data, split, ALL);
        EncodedData garbage = clean;
        Random random = new Random(0);
        for (int h = 0; h < ALL.size(); h++) {
            EncodedData.Head head = clean.heads().get(h);
            float[] target = head.target().clone();
            for (int i = 0; i < target.length; i++) {
                if (head.mask()[i] == 0) {
                    target[i] = head.outputs() > 1 ? random.nextInt(head.outputs()) : 1e3f * (float) random.nextGaussian();
                }
            }
            garbage = garbage.withHead(h, head.withTarget(target));
        }
        double[] weights = {1, 1, 1};
        assertThat(trainer.train(garbage, split, ModelSpec.plain(SETTINGS), weights, 5))
                .isEqualTo(trainer.train(clean, split, ModelSpec.plain(SETTINGS), weights, 5));
    }

    @Test
    void missingFeatureCellsAreImputed() {
        Dataset full = easy(400, 1.0, 6);
        float[] x = full.features();
        for (int i = 0; i < x.length; i += 7) {
            x[i] = Float.NaN;
        }
        Dataset holes = new Dataset("holes", full.featureNames(), x, full.labels(), full.classCounts());
        GroupResult result = trainer.train(holes, Split.seeded(400, 6), ALL, ModelSpec.plain(SETTINGS), 6);
        assertThat(result.testMetrics().values()).allSatisfy(v -> assertThat(v).isFinite());
        assertThat(result.testMetrics().get("sign")).isGreaterThan(0.75);
    }

    @Test
    void fixedWeightsScaleTheLosses() {
        Dataset data = easy(400, 1.0, 7);
        Split split = Split.seeded(400, 7);
        GroupResult equal = trainer.train(data, split, ALL, ModelSpec.plain(SETTINGS), 7);
        GroupResult ones = trainer.train(data, split, ALL, ModelSpec.plain(SETTINGS).withWeighting(Weighting.FIXED, List.of(1.0, 1.0, 1.0)), 7);
        assertThat(ones).isEqualTo(equal);
        GroupResult muted = trainer.train(data, split, ALL, ModelSpec.plain(SETTINGS).withWeighting(Weighting.FIXED, List.of(1.0, 0.0, 1.0)), 7);
        assertThat(muted.testMetrics().get("level")).as("an untrained head").isGreaterThan(5);
        assertThat(muted.testMetrics().get("sign")).isGreaterThan(0.85);
    }

    @Test
    void rejectsWhatDoesNotFit() {
        Dataset data = easy(100, 1.0, 8);
        Split split = Split.seeded(100, 8);
        Task other = new Task("other", TaskType.BINARY, Metric.AUC);
        assertThatThrownBy(() -> trainer.train(data, split, List.of(other), ModelSpec.plain(SETTINGS), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'other'");
        assertThatThrownBy(() -> trainer.train(data, split, ALL, ModelSpec.plain(SETTINGS).withWeighting(Weighting.FIXED, List.of(1.0)), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one weight per task");
        assertThatThrownBy(() -> trainer.train(data, split, ALL, ModelSpec.plain(SETTINGS).withWeighting(Weighting.FIXED, List.of(1.0, -1.0, 1.0)), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'level'");
        assertThatThrownBy(() -> trainer.train(data, Split.seeded(200, 1), ALL, ModelSpec.plain(SETTINGS), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100 rows");
        assertThatThrownBy(() -> trainer.train(data, split, List.of(), ModelSpec.plain(SETTINGS), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentCallsAreSerializedAndAgree() throws Exception {
        Dataset data = easy(300, 1.0, 11);
        Split split = Split.seeded(300, 11);
        GroupResult alone = trainer.train(data, split, ALL, ModelSpec.plain(SETTINGS), 11);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<GroupResult>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                futures.add(pool.submit(() -> new MtlTrainer().train(data, split, ALL, ModelSpec.plain(SETTINGS), 11)));
            }
            for (Future<GroupResult> f : futures) {
                assertThat(f.get()).isEqualTo(alone);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aThousandRowsTrainInSeconds() {
        Dataset data = dev.chorus.mtl.data.Datasets.load(new dev.chorus.mtl.data.SyntheticSpec(1000, 20, 0.2, 1.0,
                Map.of("A", List.of("a1", "a2")), List.of()), List.of(new Task("a1", TaskType.BINARY, Metric.AUC),
                new Task("a2", TaskType.BINARY, Metric.AUC)), 1);
        Split split = Split.seeded(1000, 1);
        TrainSettings settings = new TrainSettings(64, 2, 0.003, 20, 32);
        trainer.train(data, split, List.of(new Task("a1", TaskType.BINARY, Metric.AUC)), ModelSpec.plain(new TrainSettings(8, 1, 0.01, 1, 64)), 1); // warm the engine up
        long start = System.nanoTime();
        GroupResult result = trainer.train(data, split, List.of(new Task("a1", TaskType.BINARY, Metric.AUC),
                new Task("a2", TaskType.BINARY, Metric.AUC)), ModelSpec.plain(settings), 1);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("1000 rows x 20 features x 20 epochs (600 train rows, batch 32, trunk 64x2, 2 tasks):"
                + " %.2f s, test %s%n", seconds, result.testMetrics());
        assertThat(seconds).isLessThan(20);
    }
}
