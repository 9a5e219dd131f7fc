package dev.chorus.mtl.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchPlanTest {

    /** 1000 train rows: task a labelled on rows 0..899, b on 900..999, none labelled for c. */
    private static final int[] TRAIN = IntStream.range(0, 1000).toArray();
    private static final Map<String, float[]> LABELS = labels();

    private static Map<String, float[]> labels() {
        Map<String, float[]> labels = new LinkedHashMap<>();
        float[] a = new float[1200];
        float[] b = new float[1200];
        float[] c = new float[1200];
        Arrays.fill(a, Float.NaN);
        Arrays.fill(b, Float.NaN);
        Arrays.fill(c, Float.NaN);
        for (int i = 0; i < 1200; i++) {
            (i < 900 ? a : b)[i] = 1; // rows 1000.. are not training rows
        }
        labels.put("a", a);
        labels.put("b", b);
        labels.put("c", c);
        return labels;
    }

    @Test
    void allServesEveryTrainRowOncePerEpoch() {
        int[] train = {3, 5, 8, 13, 21, 34, 55};
        int[][] batches = BatchPlan.of(SamplingSpec.ALL, train, Map.of(), 3).epoch(0, new SplittableRandom(1));
        assertThat(batches).hasNumberOfRows(3);
        assertThat(Arrays.stream(batches).mapToInt(b -> b.length)).containsExactly(3, 3, 1);
        assertThat(Arrays.stream(batches).flatMapToInt(Arrays::stream).sorted()).containsExactly(3, 5, 8, 13, 21, 34, 55);
    }

    @Test
    void proportionalDrawsTasksByLabelCount() {
        assertThat(shareOfA(SamplingSpec.PROPORTIONAL)).isCloseTo(0.9, within(0.02));
    }

    @Test
    void temperatureFlattensTheDraw() {
        // sqrt(900) : sqrt(100) = 30 : 10
        assertThat(shareOfA(SamplingSpec.temperature(2))).isCloseTo(0.75, within(0.02));
        // T = 100: nearly uniform, 900^0.01 / (900^0.01 + 100^0.01)
        double expected = Math.pow(900, 0.01) / (Math.pow(900, 0.01) + Math.pow(100, 0.01));
        assertThat(shareOfA(SamplingSpec.temperature(100))).isCloseTo(expected, within(0.02));
        TaskSampledPlan plan = (TaskSampledPlan) BatchPlan.of(SamplingSpec.temperature(2), TRAIN, LABELS, 10);
        assertThat(plan.tasks()).containsExactly("a", "b"); // c has no labelled train row: never chosen
        assertThat(plan.probability(0)).isCloseTo(0.75, within(1e-12));
    }

    /** Share of batches drawn for task a over 100 epochs, each batch a's rows or b's rows only. */
    private static double shareOfA(SamplingSpec spec) {
        BatchPlan plan = BatchPlan.of(spec, TRAIN, LABELS, 10);
        SplittableRandom random = new SplittableRandom(42);
        int a = 0;
        int total = 0;
        for (int epoch = 0; epoch < 100; epoch++) {
            int[][] batches = plan.epoch(epoch, random);
            assertThat(batches).hasNumberOfRows(100); // ceil(1000 / 10)
            for (int[] batch : batches) {
                assertThat(batch).hasSize(10);
                assertThat(new HashSet<>(Arrays.stream(batch).boxed().toList())).hasSize(10); // distinct
                boolean forA = batch[0] < 900;
                assertThat(Arrays.stream(batch).allMatch(row -> (row < 900) == forA)).isTrue();
                a += forA ? 1 : 0;
                total++;
            }
        }
        return (double) a / total;
    }

    @Test
    void aTaskPassCoversItsRowsBeforeRepeating() {
        Map<String, float[]> labels = Map.of("t", new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
        int[] train = IntStream.range(0, 12).toArray();
        int[][] batches = BatchPlan.of(SamplingSpec.PROPORTIONAL, train, labels, 4).epoch(0, new SplittableRandom(3));
        assertThat(Arrays.stream(batches).flatMapToInt(Arrays::stream).sorted()).containsExactly(
                IntStream.range(0, 12).boxed().toArray(Integer[]::new));
    }

    @Test
    void aSmallTaskFillsWhatItCan() {
        float[] t = new float[20];
        Arrays.fill(t, Float.NaN);
        t[2] = 0;
        t[7] = 1;
        t[19] = 1; // not a training row
        int[][] batches = BatchPlan.of(SamplingSpec.PROPORTIONAL, IntStream.range(0, 10).toArray(), Map.of("t", t), 4)
                .epoch(0, new SplittableRandom(5));
        assertThat(batches).hasNumberOfRows(3);
        for (int[] batch : batches) {
            assertThat(Arrays.stream(batch).sorted()).containsExactly(2, 7);
        }
    }

    @Test
    void deterministicFromTheRandom() {
        for (SamplingSpec spec : new SamplingSpec[] {SamplingSpec.ALL, SamplingSpec.temperature(2)}) {
            BatchPlan plan = BatchPlan.of(spec, TRAIN, LABELS, 32);
            assertThat(plan.epoch(0, new SplittableRandom(9))).isDeepEqualTo(plan.epoch(0, new SplittableRandom(9)));
            assertThat(plan.epoch(0, new SplittableRandom(9))).isNotEqualTo(plan.epoch(0, new SplittableRandom(10)));
        }
        Set<String> firstBatches = new HashSet<>();
        SplittableRandom random = new SplittableRandom(1);
        BatchPlan plan = BatchPlan.of(SamplingSpec.ALL, TRAIN, LABELS, 32);
        for (int e = 0; e < 5; e++) {
            firstBatches.add(Arrays.toString(plan.epoch(e, random)[0]));
        }
        assertThat(firstBatches).hasSize(5); // the generator advances: epochs differ
    }

    @Test
    void rejectsWhatCannotBePlanned() {
        assertThatThrownBy(() -> BatchPlan.of(SamplingSpec.ALL, TRAIN, LABELS, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch size");
        assertThatThrownBy(() -> BatchPlan.of(SamplingSpec.PROPORTIONAL, TRAIN, Map.of("c", LABELS.get("c")), 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no task has a labelled training row");
        assertThatThrownBy(() -> BatchPlan.of(SamplingSpec.PROPORTIONAL, new int[] {1300}, LABELS, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("training row 1300");
    }

    @Test
    void samplingSpecChecksItsValues() {
        assertThat(SamplingSpec.temperature(1).perTask()).isTrue();
        assertThat(SamplingSpec.ALL.perTask()).isFalse();
        assertThatThrownBy(() -> SamplingSpec.temperature(0)).hasMessageContaining("> 0");
        assertThatThrownBy(() -> SamplingSpec.temperature(Double.NaN)).hasMessageContaining("> 0");
        assertThatThrownBy(() -> new SamplingSpec("uniform", 1)).hasMessageContaining("unknown sampling 'uniform'");
        assertThatThrownBy(() -> new SamplingSpec("all", 2)).hasMessageContaining("takes no temperature");
    }
}
