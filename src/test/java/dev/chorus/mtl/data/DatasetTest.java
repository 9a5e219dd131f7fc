package dev.chorus.mtl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetTest {

    private static Dataset tiny(String name, float label) {
        Map<String, float[]> labels = new LinkedHashMap<>();
        labels.put("y", new float[] {0, label, Float.NaN});
        labels.put("z", new float[] {1.5f, Float.NaN, -2f});
        return new Dataset(name, List.of("a", "b"), new float[] {1, 2, 3, Float.NaN, 5, 6}, labels, Map.of("y", 2));
    }

    @Test
    void contentHashIsPinnedAcrossRuns() {
        // a change here means every stored study's data hash changes: only on purpose
        assertThat(tiny("t", 1).contentHash()).isEqualTo(PINNED).hasSize(64);
    }

    private static final String PINNED = "196a470e569b366a0d332272f664c791ba8230523b2aca470115f5685a351c86";

    @Test
    void contentHashIgnoresTheNameAndSeesEveryLabel() {
        assertThat(tiny("other", 1).contentHash()).isEqualTo(tiny("t", 1).contentHash());
        assertThat(tiny("t", 0).contentHash()).isNotEqualTo(tiny("t", 1).contentHash());
    }

    @Test
    void everyNaNHashesAlike() {
        Map<String, float[]> labels = Map.of("y", new float[] {Float.intBitsToFloat(0x7fc00001), 1});
        Dataset odd = new Dataset("n", List.of("a"), new float[] {1, 2}, labels, Map.of());
        Dataset plain = new Dataset("n", List.of("a"), new float[] {1, 2}, Map.of("y", new float[] {Float.NaN, 1}),
                Map.of());
        assertThat(odd.contentHash()).isEqualTo(plain.contentHash());
    }

    @Test
    void isImmutable() {
        float[] features = {1, 2, 3, 4};
        Map<String, float[]> labels = new LinkedHashMap<>();
        labels.put("y", new float[] {0, 1});
        Dataset data = new Dataset("d", List.of("a", "b"), features, labels, Map.of("y", 2));
        String hash = data.contentHash();
        features[0] = 99;
        labels.get("y")[0] = 1;
        data.features()[1] = 99;
        data.labels("y")[1] = 0;
        data.labels().get("y")[1] = 0;
        assertThat(data.contentHash()).isEqualTo(hash);
        assertThat(data.feature(1, 1)).isEqualTo(4f);
    }

    @Test
    void describesItsShape() {
        Dataset data = tiny("t", 1);
        assertThat(data.rows()).isEqualTo(3);
        assertThat(data.featureCount()).isEqualTo(2);
        assertThat(data.taskNames()).containsExactly("y", "z");
        assertThat(data.classCount("y")).isEqualTo(2);
        assertThat(data.classCount("z")).isZero();
        assertThat(data.labelledCount("z")).isEqualTo(2);
        assertThat(data.feature(1, 1)).isNaN();
    }

    @Test
    void rejectsLabelsOfTheWrongLength() {
        assertThatThrownBy(() -> new Dataset("d", List.of("a"), new float[] {1, 2}, Map.of("y", new float[] {1}),
                Map.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("task 'y' has 1 labels for 2 rows");
        assertThatThrownBy(() -> new Dataset("d", List.of("a"), new float[] {1}, Map.of("y", new float[] {1}),
                Map.of("y", 1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 classes");
        assertThatThrownBy(() -> tiny("t", 1).labels("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nope'").hasMessageContaining("y, z");
    }
}
