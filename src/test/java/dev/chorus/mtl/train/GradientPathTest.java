package dev.chorus.mtl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.chorus.mtl.Architecture;
import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Split;
import dev.chorus.mtl.train.weighting.LossWeighting;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The representation-gradient path of {@link StepRunner} against the plain one: a weighting that
 * returns the sum of the task gradient rows as the shared gradient, or returns weights while asking
 * for gradients, must move every parameter exactly as the plain weighted sum does (up to float
 * rounding). Plain SGD, not Adam, so that a wrongly scaled gradient shows.
 */
class GradientPathTest {

    private static final List<Task> ALL = List.of(new Task("sign", TaskType.BINARY, Metric.ACCURACY),
            new Task("level", TaskType.REGRESSION, Metric.RMSE), new Task("band", TaskType.MULTICLASS, Metric.ACCURACY));
    private static final TrainSettings SETTINGS = new TrainSettings(8, 2, 0.01, 6, 16);

    /** Test weighting: gradient rows in, their sum out (the gradient of the plain sum of losses). */
    static final class SumOfRows implements LossWeighting {
        final List<Step> steps = new ArrayList<>();

        @Override
        public boolean needsGradients() {
            return true;
        }

        @Override
        public Combination combine(Step step) {
            steps.add(step);
            double[] sum = new double[step.gradients()[0].length];
            for (double[] row : step.gradients()) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += row[i];
                }
            }
            return new Combination.SharedGradient(sum);
        }
    }

    /** Test weighting: asks for gradients but answers with fixed weights. */
    record GradientWeights(double[] weights) implements LossWeighting {
        @Override
        public boolean needsGradients() {
            return true;
        }

        @Override
        public Combination combine(Step step) {
            double[] w = new double[step.tasks()];
            for (int t = 0; t < w.length; t++) {
                w[t] = step.present()[t] ? weights[t] : 0;
            }
            return new Combination.Weights(w);
        }
    }

    /** Parameters after SGD steps on batches of 4 rows (half the labels missing, so tasks go absent). */
    static List<float[]> afterSteps(Architecture architecture, LossWeighting weighting, int steps) {
        Dataset dataset = MtlTrainerTest.easy(200, 0.5, 31);
        Split split = Split.seeded(200, 31);
        EncodedData data = EncodedData.of(dataset, split, ALL);
        ModelSpec spec = ModelSpec.plain(SETTINGS).withArchitecture(architecture, 1, 3);
        Engine engine = Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(1);
        engine.setRandomSeed(5);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            MtlNet net = MtlTrainer.network(spec, data);
            net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            net.initialize(root, DataType.FLOAT32, new Shape(1, data.width()));
            ParameterStore ps = new ParameterStore(root, false);
            ps.setParameterServer(new LocalParameterServer(Optimizer.sgd()
                    .setLearningRateTracker(Tracker.fixed(0.1f)).build()), new Device[] {Device.cpu()});
            StepRunner runner = new StepRunner(engine, net, ps, weighting, data, root);
            int[] train = split.train();
            for (int s = 0; s < steps; s++) {
                runner.step(Arrays.copyOfRange(train, 4 * s, 4 * s + 4), 0);
            }
            return net.getParameters().values().stream().map(p -> p.getArray().toFloatArray()).toList();
        }
    }

    private static void assertClose(List<float[]> actual, List<float[]> expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            for (int j = 0; j < expected.get(i).length; j++) {
                assertThat(actual.get(i)[j]).as(what + " parameter " + i + "[" + j + "]")
                        .isCloseTo(expected.get(i)[j], within(2e-5f));
            }
        }
    }

    @Test
    void sumOfGradientRowsMovesEveryParameterAsEqualWeighting() {
        for (Architecture a : Architecture.values()) {
            List<float[]> plain = afterSteps(a, LossWeighting.of(Weighting.EQUAL, null, 0.1, 1), 12);
            SumOfRows sum = new SumOfRows();
            assertClose(afterSteps(a, sum, 12), plain, a.id());
            assertThat(plain).as("training moved something")
                    .isNotEqualTo(afterSteps(a, LossWeighting.of(Weighting.EQUAL, null, 0.1, 1), 0));
            long size = MtlTrainer.network(ModelSpec.plain(SETTINGS).withArchitecture(a, 1, 3),
                    EncodedData.of(MtlTrainerTest.easy(200, 0.5, 31), Split.seeded(200, 31), ALL)).representation(4).size();
            boolean sawAbsent = false;
            int presentRows = 0;
            int nonZeroPresentRows = 0;
            for (LossWeighting.Step step : sum.steps) {
                assertThat(step.gradients()).hasNumberOfRows(3);
                for (int t = 0; t < 3; t++) {
                    assertThat(step.gradients()[t]).hasSize((int) size);
                    boolean zero = Arrays.stream(step.gradients()[t]).allMatch(v -> v == 0);
                    if (!step.present()[t]) {
                        assertThat(zero).as(a.id() + ": an absent task's row is zero").isTrue();
                        sawAbsent = true;
                    } else {
                        presentRows++;
                        nonZeroPresentRows += zero ? 0 : 1;
                    }
                }
            }
            assertThat(sawAbsent).as("some batch lacked a task").isTrue();
            // a present task's row can be zero only by accident (every ReLU of its tower off for the batch)
            assertThat(nonZeroPresentRows).as(a.id() + ": present tasks have gradients")
                    .isGreaterThan(presentRows * 3 / 4);
        }
    }

    @Test
    void weightsReturnedOnTheGradientPathMatchThePlainPath() {
        double[] w = {2.0, 0.5, 1.0};
        for (Architecture a : Architecture.values()) {
            List<float[]> plain = afterSteps(a, LossWeighting.of(Weighting.FIXED, w, 0.1, 1), 12);
            assertClose(afterSteps(a, new GradientWeights(w), 12), plain, a.id());
        }
    }

    @Test
    void fullTrainingOnTheGradientPathTracksEqualWeighting() {
        Dataset data = MtlTrainerTest.easy(400, 0.7, 32);
        Split split = Split.seeded(400, 32);
        ModelSpec spec = ModelSpec.plain(SETTINGS);
        GroupResult plain = new MtlTrainer().train(data, split, ALL, spec, 3);
        GroupResult viaRows = new MtlTrainer((m, f, s) -> new SumOfRows()).train(data, split, ALL, spec, 3);
        Map<String, Double> first = plain.validationByEpoch().getFirst();
        first.forEach((task, v) -> assertThat(viaRows.validationByEpoch().getFirst().get(task)).as(task)
                .isCloseTo(v, within(0.02)));
        assertThat(viaRows.testMetrics().get("level")).isCloseTo(plain.testMetrics().get("level"), within(0.5));
    }

    @Test
    void aSharedGradientWithoutAskingForGradientsIsRejected() {
        LossWeighting wrong = step -> new LossWeighting.Combination.SharedGradient(new double[0]);
        assertThatThrownBy(() -> afterSteps(Architecture.HARD, wrong, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needsGradients");
    }

    @Test
    void epochMeansAndLossesAfterTheStepReachTheWeighting() {
        List<double[]> epochs = new ArrayList<>();
        List<double[]> before = new ArrayList<>();
        List<double[]> after = new ArrayList<>();
        LossWeighting recording = new LossWeighting() {
            @Override
            public Combination combine(Step step) {
                before.add(step.losses());
                double[] w = new double[step.tasks()];
                for (int t = 0; t < w.length; t++) {
                    w[t] = step.present()[t] ? 1 : 0;
                }
                return new Combination.Weights(w);
            }

            @Override
            public void endEpoch(double[] meanLosses) {
                epochs.add(meanLosses);
            }

            @Override
            public boolean needsLossesAfterStep() {
                return true;
            }

            @Override
            public void afterStep(double[] lossesAfter) {
                after.add(lossesAfter);
            }
        };
        Dataset data = MtlTrainerTest.easy(300, 1.0, 33);
        GroupResult r = new MtlTrainer((m, f, s) -> recording).train(data, Split.seeded(300, 33), ALL,
                ModelSpec.plain(SETTINGS), 4);
        assertThat(epochs).hasSize(r.epochsRun()).allSatisfy(m -> assertThat(m).hasSize(3));
        assertThat(after).hasSameSizeAs(before);
        double gain = 0;
        for (int i = 0; i < before.size(); i++) {
            for (int t = 0; t < 3; t++) {
                gain += before.get(i)[t] - after.get(i)[t];
            }
        }
        assertThat(gain).as("the same batches' losses fall after the update, on the whole").isPositive();
        double firstEpoch = Arrays.stream(epochs.getFirst()).sum();
        assertThat(Arrays.stream(epochs.getLast()).sum()).isLessThan(firstEpoch);
    }
}
