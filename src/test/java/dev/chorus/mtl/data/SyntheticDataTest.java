package dev.chorus.mtl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticDataTest {

    private static final SyntheticSpec SPEC = new SyntheticSpec(400, 10, 0.2, 0.25,
            Map.of("A", List.of("a1", "a2")), List.of("c1"));
    private static final List<Task> TASKS = List.of(new Task("a1", TaskType.BINARY, Metric.AUC),
            new Task("a2", TaskType.MULTICLASS, Metric.ACCURACY), new Task("c1", TaskType.REGRESSION, Metric.RMSE));

    @Test
    void sameSeedSameData() {
        assertThat(Datasets.load(SPEC, TASKS, 3).contentHash()).isEqualTo(Datasets.load(SPEC, TASKS, 3).contentHash());
        assertThat(Datasets.load(SPEC, TASKS, 3).contentHash()).isNotEqualTo(Datasets.load(SPEC, TASKS, 4).contentHash());
    }

    @Test
    void aTasksLabelsDependOnTheSpecAndSeedOnly() {
        Dataset all = Datasets.load(SPEC, TASKS, 3);
        Dataset one = Datasets.load(SPEC, List.of(TASKS.get(2)), 3);
        assertThat(one.labels("c1")).isEqualTo(all.labels("c1"));
        assertThat(one.features()).isEqualTo(all.features());
    }

    @Test
    void labelsHaveTheDocumentedShape() {
        Dataset data = Datasets.load(SPEC, TASKS, 3);
        assertThat(data.rows()).isEqualTo(400);
        assertThat(data.featureNames()).hasSize(10).startsWith("x0");
        for (Task t : TASKS) {
            assertThat(data.labelledCount(t.name())).as(t.name()).isEqualTo(100);
        }
        assertThat(data.classCount("a1")).isEqualTo(2);
        assertThat(data.classCount("a2")).isEqualTo(3);
        assertThat(data.labels("a1")).containsOnly(0f, 1f, Float.NaN);
        assertThat(data.labels("a2")).containsOnly(0f, 1f, 2f, Float.NaN);
        double ones = 0;
        for (float v : data.labels("a1")) {
            ones += v == 1 ? 1 : 0;
        }
        assertThat(ones / 100).isBetween(0.35, 0.65);
    }

    @Test
    void clusterTasksAgreeMoreThanUnrelatedOnes() {
        SyntheticSpec full = new SyntheticSpec(2000, 10, 0.1, 1.0, Map.of("A", List.of("a1", "a2")), List.of("c1"));
        List<Task> regression = List.of(new Task("a1", TaskType.REGRESSION, Metric.RMSE),
                new Task("a2", TaskType.REGRESSION, Metric.RMSE), new Task("c1", TaskType.REGRESSION, Metric.RMSE));
        Dataset data = Datasets.load(full, regression, 5);
        double related = Math.abs(correlation(data.labels("a1"), data.labels("a2")));
        double unrelated = Math.abs(correlation(data.labels("a1"), data.labels("c1")));
        assertThat(related).isGreaterThan(0.6);
        assertThat(unrelated).isLessThan(related - 0.3);
    }

    @Test
    void disjointSourcesReadOnlyTheirOwnBlockOfFeatures() {
        Map<String, List<String>> clusters = new java.util.LinkedHashMap<>();
        clusters.put("A", List.of("a1", "a2"));
        SyntheticSpec spec = new SyntheticSpec(3000, 12, 0, 1.0, clusters, List.of("c1"),
                dev.chorus.mtl.sampling.SamplingSpec.ALL, true);
        List<Task> regression = List.of(new Task("a1", TaskType.REGRESSION, Metric.RMSE),
                new Task("c1", TaskType.REGRESSION, Metric.RMSE));
        Dataset data = Datasets.load(spec, regression, 7);
        // two sources (cluster A, then c1): features x0..x5 drive A's tasks, x6..x11 drive c1
        assertThat(explained(data, "a1", 0, 6)).isGreaterThan(0.3);
        assertThat(explained(data, "a1", 6, 12)).isLessThan(0.03);
        assertThat(explained(data, "c1", 6, 12)).isGreaterThan(0.3);
        assertThat(explained(data, "c1", 0, 6)).isLessThan(0.03);
        Dataset shared = Datasets.load(new SyntheticSpec(3000, 12, 0, 1.0, clusters, List.of("c1")), regression, 7);
        assertThat(explained(shared, "c1", 0, 6)).as("by default every source reads every feature").isGreaterThan(0.1);
        assertThatThrownBy(() -> Datasets.load(new SyntheticSpec(100, 1, 0, 1.0, clusters, List.of("c1"),
                dev.chorus.mtl.sampling.SamplingSpec.ALL, true), regression, 1))
                .hasMessageContaining("synthetic.features").hasMessageContaining("disjoint");
    }

    @Test
    void theLatentWidthDefaultsToFourAndAWiderOneDrawsOtherLabels() {
        Map<String, List<String>> clusters = new java.util.LinkedHashMap<>();
        clusters.put("A", List.of("a1", "a2"));
        List<Task> binary = List.of(new Task("a1", TaskType.BINARY, Metric.AUC), new Task("a2", TaskType.BINARY, Metric.AUC));
        SyntheticSpec byDefault = new SyntheticSpec(500, 12, 0.2, 1.0, clusters, List.of());
        SyntheticSpec four = new SyntheticSpec(500, 12, 0.2, 1.0, clusters, List.of(),
                dev.chorus.mtl.sampling.SamplingSpec.ALL, false, 4);
        SyntheticSpec eight = new SyntheticSpec(500, 12, 0.2, 1.0, clusters, List.of(),
                dev.chorus.mtl.sampling.SamplingSpec.ALL, false, 8);
        // the default draws exactly what it drew before the width was a setting: studies keep their data
        assertThat(Datasets.load(byDefault, binary, 3).labels("a1")).containsExactly(Datasets.load(four, binary, 3).labels("a1"));
        Dataset wide = Datasets.load(eight, binary, 3);
        assertThat(wide.labels("a1")).isNotEqualTo(Datasets.load(four, binary, 3).labels("a1"));
        // still one cluster: its two tasks are noisy views of one structure
        assertThat(correlation(wide.labels("a1"), wide.labels("a2"))).isGreaterThan(0.5);
        assertThatThrownBy(() -> new SyntheticSpec(500, 12, 0.2, 1.0, clusters, List.of(),
                dev.chorus.mtl.sampling.SamplingSpec.ALL, false, 0)).hasMessageContaining("synthetic.latent");
    }

    /** The sum of squared correlations of a task's labels with features {@code [from, to)}: about the R^2 of a linear fit. */
    private static double explained(Dataset data, String task, int from, int to) {
        float[] features = data.features();
        int d = data.featureNames().size();
        double sum = 0;
        for (int j = from; j < to; j++) {
            float[] column = new float[data.rows()];
            for (int i = 0; i < column.length; i++) {
                column[i] = features[i * d + j];
            }
            double r = correlation(data.labels(task), column);
            sum += r * r;
        }
        return sum;
    }

    private static double correlation(float[] a, float[] b) {
        double sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sa += a[i];
            sb += b[i];
            sab += a[i] * b[i];
            saa += a[i] * a[i];
            sbb += b[i] * b[i];
        }
        int n = a.length;
        return (sab / n - sa / n * sb / n) / Math.sqrt((saa / n - sa / n * sa / n) * (sbb / n - sb / n * sb / n));
    }

    @Test
    void unknownTaskSaysWhereToDeclareIt() {
        assertThatThrownBy(() -> Datasets.load(SPEC, List.of(new Task("zz", TaskType.BINARY, Metric.AUC)), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'zz'")
                .hasMessageContaining("synthetic.clusters");
    }

    @Test
    void badParameters() {
        assertThatThrownBy(() -> Datasets.load(new SyntheticSpec(0, 5, 0, 1, Map.of("A", List.of("a1")), List.of()),
                List.of(TASKS.get(0)), 1)).hasMessageContaining("synthetic.rows");
        assertThatThrownBy(() -> Datasets.load(new SyntheticSpec(10, 5, 0, 0, Map.of("A", List.of("a1")), List.of()),
                List.of(TASKS.get(0)), 1)).hasMessageContaining("synthetic.labelled");
        assertThatThrownBy(() -> Datasets.load(new SyntheticSpec(10, 5, 0, 1, Map.of("A", List.of("a1")),
                List.of("a1")), List.of(TASKS.get(0)), 1)).hasMessageContaining("appears twice");
    }

    @Test
    void tooFewLabelsForTwoClasses() {
        assertThatThrownBy(() -> Datasets.load(new SyntheticSpec(100, 5, 0, 0.01, Map.of("A", List.of("a1")), List.of()),
                List.of(TASKS.get(0)), 1)).hasMessageContaining("task 'a1'").hasMessageContaining("labelled fraction");
    }
}
