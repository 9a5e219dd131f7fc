package dev.chorus.mtl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFeaturesTest {

    private static final Task CHURN = new Task("churn", TaskType.BINARY, Metric.AUC);

    @TempDir
    Path dir;

    private Dataset load(String text, CsvSpec spec) throws IOException {
        Files.writeString(spec.path(), text);
        return Datasets.load(spec, List.of(CHURN), 0);
    }

    private Dataset load(String text) throws IOException {
        return load(text, new CsvSpec(dir.resolve("f.csv"), List.of()));
    }

    @Test
    void textColumnIsOneHotWithSortedLevelsAndMissingAsZeros() throws IOException {
        Dataset data = load("plan,x,churn\npro,1,0\nbasic,2,1\n,3,0\nNA,4,1\nenterprise,5,0\n");
        assertThat(data.featureNames()).containsExactly("plan=basic", "plan=enterprise", "plan=pro", "x");
        assertThat(data.features()).containsExactly(
                0, 0, 1, 1,
                1, 0, 0, 2,
                0, 0, 0, 3,
                0, 0, 0, 4,
                0, 1, 0, 5);
    }

    @Test
    void missingNumericCellsAreNaNWithAnIndicatorColumn() throws IOException {
        Dataset data = load("a,b,churn\n1,5,0\n,6,1\nnan,7,0\nNULL,8,1\nn/a,9,0\n2.5,10,1\n");
        assertThat(data.featureNames()).containsExactly("a", "a?missing", "b"); // b is complete: no indicator
        float[] a = column(data, 0);
        assertThat(a[0]).isEqualTo(1f);
        assertThat(a[5]).isEqualTo(2.5f);
        assertThat(IntStream.rangeClosed(1, 4).allMatch(i -> Float.isNaN(a[i]))).isTrue();
        assertThat(column(data, 1)).containsExactly(0, 1, 1, 1, 1, 0);
        assertThat(column(data, 2)).containsExactly(5, 6, 7, 8, 9, 10);
    }

    @Test
    void declaredCategoricalNumbersAreLevelsAsText() throws IOException {
        Path file = dir.resolve("f.csv");
        Dataset data = load("zip,x,churn\n075,1,0\n75,2,1\n075,3,0\n",
                new CsvSpec(file, List.of(), List.of("zip"), null));
        assertThat(data.featureNames()).containsExactly("zip=075", "zip=75", "x");
        assertThat(column(data, 0)).containsExactly(1, 0, 1);
    }

    @Test
    void manyLevelsAreHashedIntoSixteenStableBuckets() throws IOException {
        StringBuilder csv = new StringBuilder("city,churn\n");
        for (int i = 0; i < 40; i++) {
            csv.append("c").append(i).append(',').append(i % 2).append('\n');
        }
        csv.append(",1\n");
        Dataset data = load(csv.toString());
        List<String> expected = new ArrayList<>();
        IntStream.range(0, 16).forEach(b -> expected.add("city#h" + b));
        assertThat(data.featureNames()).isEqualTo(expected);
        for (int row = 0; row < 40; row++) {
            int hot = -1;
            float sum = 0;
            for (int b = 0; b < 16; b++) {
                sum += data.feature(row, b);
                hot = data.feature(row, b) == 1 ? b : hot;
            }
            assertThat(sum).isEqualTo(1f);
            assertThat(hot).isEqualTo(CsvFeatures.bucket("c" + row));
        }
        for (int b = 0; b < 16; b++) {
            assertThat(data.feature(40, b)).isZero(); // missing level: all zeros
        }
    }

    @Test
    void oneHotUpTo32LevelsThenHashing() {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        columns.put("k", IntStream.range(0, 32).mapToObj(i -> "v" + i).toList());
        assertThat(CsvFeatures.encode(columns, Set.of(), "f").names()).hasSize(32).contains("k=v0", "k=v31");
        columns.put("k", IntStream.range(0, 33).mapToObj(i -> "v" + i).toList());
        assertThat(CsvFeatures.encode(columns, Set.of(), "f").names()).hasSize(16).startsWith("k#h0");
    }

    @Test
    void murmur3MatchesPublishedVectors() {
        assertThat(CsvFeatures.murmur3(new byte[0], 0)).isZero();
        assertThat(CsvFeatures.murmur3(new byte[0], 1)).isEqualTo(0x514E28B7);
        assertThat(CsvFeatures.murmur3("hello".getBytes(StandardCharsets.UTF_8), 0)).isEqualTo(0x248BFA47);
        assertThat(CsvFeatures.murmur3("The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8), 0))
                .isEqualTo(0x2E4FF723);
    }

    @Test
    void encodedNamesMustNotCollide() {
        assertThatThrownBy(() -> load("a,a?missing,churn\n1,0,0\n,1,1\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a?missing'");
    }

    @Test
    void contentHashCoversTheEncoding() throws IOException {
        String text = "plan,x,churn\npro,1,0\nbasic,2,1\n";
        String hash = load(text).contentHash();
        assertThat(load(text).contentHash()).isEqualTo(hash);
        assertThat(load(text.replace("basic", "free")).contentHash()).isNotEqualTo(hash);
        assertThat(load(text, new CsvSpec(dir.resolve("f.csv"), List.of(), List.of("x"), null)).contentHash())
                .isNotEqualTo(hash);
    }

    private static float[] column(Dataset data, int j) {
        float[] out = new float[data.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.feature(i, j);
        }
        return out;
    }
}
