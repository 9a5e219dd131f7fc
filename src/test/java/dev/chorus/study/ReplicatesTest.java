package dev.chorus.study;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Split;
import dev.chorus.spec.SpecParser;
import dev.chorus.spec.StudySpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicatesTest {

    private static final String YAML = """
            name: replicates
            seed: 11
            dataset:
              synthetic:
                rows: 100
                features: 2
                clusters:
                  a: [t1, t2]
            tasks:
              - { name: t1, type: regression }
              - { name: t2, type: regression }
            budget:
              max-trials: 5
            """;

    @Test
    void autoCrossValidatesWhenSomeTaskHasFewLabelledRows() {
        StudySpec spec = spec("");
        int small = Replicates.SMALL_TASK_ROWS - 1;
        assertThat(Replicates.folds(spec, data(5_000, 5_000, small))).as("t2 has %d labelled rows", small)
                .isEqualTo(StudySpec.Evaluation.DEFAULT_REPEATS);
        assertThat(Replicates.folds(spec, data(5_000, 5_000, Replicates.SMALL_TASK_ROWS)))
                .as("every task has 1,000 labelled rows").isZero();
        assertThat(Replicates.folds(spec("evaluation:\n  repeats: 5\n"), data(300, 300, 300))).isEqualTo(5);
    }

    @Test
    void autoIsOffWithoutRepeatsAndOffAndExplicitFoldsAreKept() {
        Dataset few = data(300, 300, 300);
        assertThat(Replicates.folds(spec("evaluation:\n  repeats: 1\n"), few)).as("one run: nothing to fold").isZero();
        assertThat(Replicates.folds(spec("evaluation:\n  folds: off\n"), few)).isZero();
        assertThat(Replicates.folds(spec("evaluation:\n  folds: 4\n"), data(5_000, 5_000, 5_000))).isEqualTo(4);
        assertThat(Replicates.folds(spec("evaluation:\n  repeats: 20\n"), data(21, 21, 21)))
                .as("too few rows for 20 folds").isZero();
    }

    @Test
    void withFoldsReplicateRTestsOnFoldRModK() {
        StudySpec spec = spec("");
        Split stored = Split.seeded(90, spec.seed());
        int[] tested = new int[90];
        for (int r = 0; r < 3; r++) {
            Split rows = Replicates.split(spec, stored, 3, r);
            assertThat(rows).isEqualTo(stored.fold(3, r, spec.seed(), Replicates.seed(spec, r)));
            Arrays.stream(rows.test()).forEach(i -> tested[i]++);
        }
        assertThat(tested).containsOnly(1);
        assertThat(Replicates.split(spec, stored, 3, 0)).as("replicate 0 is fold 0, not the stored split")
                .isNotEqualTo(stored);
        Split again = Replicates.split(spec, stored, 3, 4);
        assertThat(again.test()).as("a later block of k replicates draws a partition of its own").isNotEqualTo(
                Replicates.split(spec, stored, 3, 1).test());
        int[] second = new int[90];
        for (int r = 3; r < 6; r++) {
            Arrays.stream(Replicates.split(spec, stored, 3, r).test()).forEach(i -> second[i]++);
        }
        assertThat(second).as("replicates k..2k-1 are the k folds of the second partition: every row tested once")
                .containsOnly(1);
    }

    @Test
    void withoutFoldsReplicateZeroIsTheStoredSplitAndARepeatResamples() {
        StudySpec spec = spec("");
        Split stored = Split.seeded(90, spec.seed());
        assertThat(Replicates.split(spec, stored, 0, 0)).isSameAs(stored);
        assertThat(Replicates.split(spec, stored, 0, 2)).isEqualTo(stored.resampled(Replicates.seed(spec, 2)));
    }

    private static StudySpec spec(String evaluation) {
        return SpecParser.parse(YAML + evaluation, Path.of("."));
    }

    /** {@code rows} rows; t1 labelled on its first {@code t1} rows, t2 on its first {@code t2}. */
    private static Dataset data(int rows, int t1, int t2) {
        Map<String, float[]> labels = new LinkedHashMap<>();
        labels.put("t1", labelled(rows, t1));
        labels.put("t2", labelled(rows, t2));
        return new Dataset("counts", List.of("x"), new float[rows], labels, Map.of());
    }

    private static float[] labelled(int rows, int count) {
        float[] values = new float[rows];
        Arrays.fill(values, Float.NaN);
        Arrays.fill(values, 0, count, 1f);
        return values;
    }
}
