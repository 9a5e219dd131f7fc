package dev.chorus.mtl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Split;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Training that diverges throws {@link TrainingDivergedException}, with real training for each rule,
 * and hard but sound tasks do not; then the rules themselves on outputs made by hand.
 */
class DivergenceTest {

    private static final Task SIGN = new Task("sign", TaskType.BINARY, Metric.ACCURACY);
    private static final Task LEVEL = new Task("level", TaskType.REGRESSION, Metric.RMSE);
    private static final Task BAND = new Task("band", TaskType.MULTICLASS, Metric.ACCURACY);
    private static final List<Task> ALL = List.of(SIGN, LEVEL, BAND);
    private static final Dataset EASY = MtlTrainerTest.easy(400, 1.0, 1);
    private static final Split SPLIT = Split.seeded(400, 1);

    private final MtlTrainer trainer = new MtlTrainer();

    @Test
    void anAbsurdLearningRateMakesTheLossNaN() {
        ModelSpec model = ModelSpec.plain(new TrainSettings(16, 2, 1e30, 5, 32));
        assertThatThrownBy(() -> trainer.train(EASY, SPLIT, ALL, model, 1))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageStartingWith("diverged: task '")
                .hasMessageMatching("diverged: task '\\w+' has a training loss of (NaN|-?Infinity) in epoch 1 \\(step \\d+\\)");
    }

    /** A validation row of the largest floats overflows the network: NaN, caught before any metric. */
    @Test
    void nanOutputsFailBeforeAnyMetric() {
        EncodedData prepared = EncodedData.of(EASY, SPLIT, ALL);
        float[] x = prepared.features().clone();
        int row = SPLIT.validation()[0];
        Arrays.fill(x, row * prepared.width(), (row + 1) * prepared.width(), Float.MAX_VALUE);
        EncodedData overflowing = new EncodedData(prepared.rows(), prepared.width(), x, prepared.heads());
        ModelSpec model = ModelSpec.plain(new TrainSettings(16, 2, 0.01, 3, 32));
        assertThatThrownBy(() -> trainer.train(overflowing, SPLIT, model, new double[] {1, 1, 1}, 1))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessage("diverged: task 'sign' outputs NaN for 1 of " + SPLIT.validation().length
                        + " validation rows after epoch 1");
    }

    /** A learning rate of 10 on a trunk 4 units wide kills every ReLU: the same output for every row. */
    @Test
    void aCollapsedNetworkWithDeadReLUsFails() {
        ModelSpec model = ModelSpec.plain(new TrainSettings(4, 3, 10, 10, 32));
        assertThatThrownBy(() -> trainer.train(EASY, SPLIT, ALL, model, 1))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageStartingWith("diverged: task 'sign' gives the same probabilities for all "
                        + SPLIT.validation().length + " validation rows (probability ")
                .hasMessageEndingWith("; the network has collapsed");
    }

    @Test
    void aSoundModelTrains() {
        GroupResult result = trainer.train(EASY, SPLIT, ALL, ModelSpec.plain(new TrainSettings(16, 2, 0.01, 10, 32)), 1);
        assertThat(result.testMetrics().get("sign")).isGreaterThan(0.85);
    }

    /**
     * Hard but sound: a tiny task with 10 % positives and features of pure noise, a regression task
     * whose labels are all equal, and a binary task whose labels are all 1.
     */
    @Test
    void tinyImbalancedAndConstantTasksDoNotCountAsCollapsed() {
        TrainSettings settings = new TrainSettings(16, 1, 0.01, 30, 16);
        for (long seed = 1; seed <= 3; seed++) {
            Random random = new Random(seed);
            int n = 60;
            float[] x = new float[n * 3];
            float[] rare = new float[n];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < n; i++) {
                rare[i] = random.nextDouble() < 0.1 ? 1 : 0;
            }
            float[] flat = new float[n];
            Arrays.fill(flat, 7);
            float[] ones = new float[n];
            Arrays.fill(ones, 1);
            Dataset data = new Dataset("tiny", List.of("a", "b", "c"), x, Map.of("rare", rare, "flat", flat, "ones", ones),
                    Map.of("rare", 2, "ones", 2));
            Split split = Split.seeded(n, seed);
            for (Task task : List.of(new Task("rare", TaskType.BINARY, Metric.ACCURACY),
                    new Task("flat", TaskType.REGRESSION, Metric.RMSE), new Task("ones", TaskType.BINARY, Metric.ACCURACY))) {
                long s = seed;
                assertThatCode(() -> trainer.train(data, split, task, settings, s)).as("%s, seed %d", task.name(), s)
                        .doesNotThrowAnyException();
            }
        }
    }

    // The rules on outputs made by hand: three validation rows, epochs 0 to 3.

    private static final EncodedData.Head BINARY = head(new Task("b", TaskType.BINARY, Metric.AUC), 1);
    private static final EncodedData.Head MULTI = head(new Task("m", TaskType.MULTICLASS, Metric.ACCURACY), 3);
    private static final EncodedData.Head REGRESSION = head(new Task("r", TaskType.REGRESSION, Metric.RMSE), 1);

    private static EncodedData.Head head(Task task, int outputs) {
        return new EncodedData.Head(task, outputs, new float[3], new float[3], new float[3], 100, 10);
    }

    private static Divergence watch(EncodedData.Head head, float[] features) {
        return new Divergence(new EncodedData(3, 1, features, List.of(head)), new int[] {0, 1, 2});
    }

    /** Shows {@code outputs} after each of {@code epochs} epochs, then checks. */
    private static void run(EncodedData.Head head, float[] features, float[] outputs, int epochs) {
        Divergence divergence = watch(head, features);
        for (int epoch = 0; epoch < epochs; epoch++) {
            divergence.observe(0, outputs, epoch);
        }
        divergence.checkCollapse();
    }

    private static final float[] DISTINCT = {1, 2, 3};

    @Test
    void binaryCountsTheProbabilityNotTheClass() {
        assertThatCode(() -> run(BINARY, DISTINCT, new float[] {0.10f, 0.12f, 0.09f}, 4)).doesNotThrowAnyException();
        assertThatThrownBy(() -> run(BINARY, DISTINCT, new float[] {0.3f, 0.3f, 0.3f}, 4))
                .hasMessage("diverged: task 'b' gives the same probabilities for all 3 validation rows"
                        + " (probability 0.3000 of class 1 for every row) in epochs 2 to 4; the network has collapsed");
    }

    @Test
    void multiclassCountsTheWholeProbabilityVector() {
        float[] sameClass = {0.5f, 0.3f, 0.2f, 0.6f, 0.2f, 0.2f, 0.7f, 0.1f, 0.2f};
        assertThatCode(() -> run(MULTI, DISTINCT, sameClass, 4)).doesNotThrowAnyException();
        float[] sameVector = {0.2f, 0.5f, 0.3f, 0.2f, 0.5f, 0.3f, 0.2f, 0.5f, 0.3f};
        assertThatThrownBy(() -> run(MULTI, DISTINCT, sameVector, 3)).hasMessageContaining("(class 1 for every row)");
    }

    @Test
    void regressionCountsThePredictionWithinARelativeTolerance() {
        assertThatThrownBy(() -> run(REGRESSION, DISTINCT, new float[] {2000, 2000.001f, 2000}, 2))
                .hasMessage("diverged: task 'r' gives the same predictions for all 3 validation rows"
                        + " (2.010e+04 for every row) in epoch 2; the network has collapsed");
        assertThatCode(() -> run(REGRESSION, DISTINCT, new float[] {2000, 2000.1f, 2000}, 2)).doesNotThrowAnyException();
    }

    @Test
    void noVerdictFromTheFirstEpochAloneOrFromIdenticalInputs() {
        float[] same = {0.3f, 0.3f, 0.3f};
        assertThatCode(() -> run(BINARY, DISTINCT, same, 1)).doesNotThrowAnyException();
        assertThatCode(() -> run(BINARY, new float[] {4, 4, 4}, same, 4)).doesNotThrowAnyException();
        Divergence recovered = watch(BINARY, DISTINCT);
        recovered.observe(0, same, 0);
        recovered.observe(0, same, 1);
        recovered.observe(0, new float[] {0.3f, 0.4f, 0.2f}, 2);
        assertThatCode(recovered::checkCollapse).as("varied in a later epoch").doesNotThrowAnyException();
    }

    @Test
    void nonFiniteOutputsAndLossesAreNamed() {
        assertThatThrownBy(() -> Divergence.checkOutputs(MULTI, new float[] {0, 1, 2, Float.NaN, 0, 0}, "test", 4))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessage("diverged: task 'm' outputs NaN for 1 of 2 test rows after epoch 5");
        assertThatThrownBy(() -> Divergence.checkOutputs(REGRESSION, new float[] {Float.NEGATIVE_INFINITY, 1}, "validation", 0))
                .hasMessage("diverged: task 'r' outputs infinity for 1 of 2 validation rows after epoch 1");
        assertThatCode(() -> Divergence.checkOutputs(REGRESSION, new float[] {Float.MAX_VALUE, 1}, "test", 0))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> Divergence.checkLoss(BINARY, Double.POSITIVE_INFINITY, 2, 40))
                .hasMessage("diverged: task 'b' has a training loss of Infinity in epoch 3 (step 41)");
    }
}
