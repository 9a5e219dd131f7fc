package dev.chorus.mtl.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Split;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    private static final Task ACC = new Task("acc", TaskType.BINARY, Metric.ACCURACY);
    private static final Task ERR = new Task("err", TaskType.REGRESSION, Metric.RMSE);

    @Test
    void patienceIsAQuarterOfTheEpochsAndAtLeastThree() {
        assertThat(EarlyStopping.patience(1)).isEqualTo(3);
        assertThat(EarlyStopping.patience(15)).isEqualTo(3);
        assertThat(EarlyStopping.patience(40)).isEqualTo(10);
    }

    @Test
    void stopsAfterPatienceEpochsWithoutABetterScaleFreeScore() {
        EarlyStopping stopping = new EarlyStopping(List.of(ACC, ERR), 12);
        // relative to epoch 0: accuracy +10% then flat; RMSE (in large units) falls 1% then rises
        assertThat(stopping.record(Map.of("acc", 0.5, "err", 100.0))).isTrue();
        assertThat(stopping.record(Map.of("acc", 0.55, "err", 99.0))).isTrue();
        assertThat(stopping.record(Map.of("acc", 0.55, "err", 120.0))).as("RMSE got worse by 20%").isFalse();
        assertThat(stopping.record(Map.of("acc", 0.555, "err", 102.0))).as("+1% acc does not pay for +3% RMSE")
                .isFalse();
        assertThat(stopping.exhausted()).isFalse();
        assertThat(stopping.record(Map.of("acc", 0.55, "err", 99.5))).isFalse();
        assertThat(stopping.exhausted()).isTrue();
        assertThat(stopping.best()).isEqualTo(1);
        assertThat(stopping.epochs()).isEqualTo(5);
    }

    @Test
    void withoutAnyValidationMetricEveryEpochIsTheBest() {
        EarlyStopping stopping = new EarlyStopping(List.of(ACC), 8);
        for (int e = 0; e < 8; e++) {
            assertThat(stopping.record(Map.of("acc", Double.NaN))).isTrue();
            assertThat(stopping.exhausted()).isFalse();
        }
        assertThat(stopping.best()).isEqualTo(7);
    }

    @Test
    void trainingStopsWhenValidationStopsImprovingAndReportsTheBestEpochsTestMetrics() {
        // a label of pure noise: the validation error is best early and only worsens as the model overfits
        Random random = new Random(41);
        int rows = 200;
        float[] x = new float[rows * 5];
        float[] noise = new float[rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < rows; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        Dataset data = new Dataset("noise", List.of("x0", "x1", "x2", "x3", "x4"), x, Map.of("noise", noise), Map.of());
        Split split = Split.seeded(rows, 41);
        List<Task> tasks = List.of(new Task("noise", TaskType.REGRESSION, Metric.RMSE));
        TrainSettings long_ = new TrainSettings(32, 2, 0.03, 60, 32);
        MtlTrainer trainer = new MtlTrainer();
        GroupResult r = trainer.train(data, split, tasks, ModelSpec.plain(long_), 41);
        System.out.printf("early stopping: %d of %d epochs, best %d%n", r.epochsRun(), long_.epochs(), r.bestEpoch());
        assertThat(r.epochsRun()).as("stopped early").isLessThan(long_.epochs());
        assertThat(r.epochsRun()).isEqualTo(r.bestEpoch() + EarlyStopping.patience(long_.epochs()) + 1);
        assertThat(r.validationByEpoch()).hasSize(r.epochsRun());
        // the same training cut at the best epoch ends with the parameters the result was scored with
        TrainSettings cut = new TrainSettings(32, 2, 0.03, r.bestEpoch() + 1, 32);
        GroupResult atBest = trainer.train(data, split, tasks, ModelSpec.plain(cut), 41);
        assertThat(atBest.bestEpoch()).isEqualTo(r.bestEpoch());
        assertThat(atBest.testMetrics()).isEqualTo(r.testMetrics());
        assertThat(atBest.validationByEpoch()).isEqualTo(r.validationByEpoch().subList(0, r.bestEpoch() + 1));
    }
}
