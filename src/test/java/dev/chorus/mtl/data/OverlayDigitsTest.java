package dev.chorus.mtl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlayDigitsTest {

    private static final int S = OverlayDigits.SIZE;

    @TempDir
    Path dir;

    @Test
    void sameSeedSameSamplesOtherSeedOthers() {
        Dataset a = OverlayDigits.generate(40, 7);
        Dataset b = OverlayDigits.generate(40, 7);
        assertThat(a.features()).containsExactly(b.features());
        assertThat(a.contentHash()).isEqualTo(b.contentHash());
        assertThat(OverlayDigits.generate(40, 8).contentHash()).isNotEqualTo(a.contentHash());
        assertThat(a.featureCount()).isEqualTo(S * S);
        assertThat(a.featureNames().get(S + 2)).isEqualTo("px[0,1,2]");
        assertThat(a.taskNames()).containsExactly("left", "right");
        assertThat(a.classCount("left")).isEqualTo(10);
        assertThat(a.classCount("right")).isEqualTo(10);
    }

    @Test
    void writtenFilesAreIdenticalPerSeed() throws IOException {
        OverlayDigits.write(dir.resolve("a"), 12, 5);
        OverlayDigits.write(dir.resolve("b"), 12, 5);
        byte[] labels = Files.readAllBytes(dir.resolve("a/labels.csv"));
        assertThat(labels).isEqualTo(Files.readAllBytes(dir.resolve("b/labels.csv")));
        List<String> lines = Files.readAllLines(dir.resolve("a/labels.csv"));
        assertThat(lines).hasSize(13);
        assertThat(lines.getFirst()).isEqualTo("image,left,right");
        assertThat(lines.get(1)).matches("images/000000\\.png,[0-9],[0-9]");
        Dataset generated = OverlayDigits.generate(12, 5);
        for (int i = 0; i < 12; i++) {
            String name = "images/%06d.png".formatted(i);
            BufferedImage one = ImageIO.read(dir.resolve("a").resolve(name).toFile());
            BufferedImage two = ImageIO.read(dir.resolve("b").resolve(name).toFile());
            assertThat(one.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
            int[] p1 = one.getRaster().getPixels(0, 0, S, S, (int[]) null);
            assertThat(p1).isEqualTo(two.getRaster().getPixels(0, 0, S, S, (int[]) null));
            assertThat(lines.get(i + 1)).isEqualTo(name + "," + (int) generated.labels("left")[i] + ","
                    + (int) generated.labels("right")[i]);
        }
    }

    @Test
    void everyDigitAppearsOnBothSidesAndBothQuadrantsAreInked() {
        Dataset data = OverlayDigits.generate(300, 1);
        for (String task : List.of("left", "right")) {
            int[] counts = new int[10];
            for (float label : data.labels(task)) {
                counts[(int) label]++;
            }
            assertThat(Arrays.stream(counts).min().orElseThrow()).as(task + " rarest digit").isGreaterThanOrEqualTo(10);
        }
        float[] x = data.features();
        for (float v : x) {
            assertThat(v).isBetween(0f, 1f);
        }
        double topLeft = 0;
        double bottomRight = 0;
        for (int i = 0; i < data.rows(); i++) {
            for (int y = 0; y < S / 2; y++) {
                for (int col = 0; col < S / 2; col++) {
                    topLeft += x[i * S * S + y * S + col];
                    bottomRight += x[i * S * S + (y + S / 2) * S + col + S / 2];
                }
            }
        }
        assertThat(topLeft / data.rows()).as("mean ink top-left").isGreaterThan(20);
        assertThat(bottomRight / data.rows()).as("mean ink bottom-right").isGreaterThan(20);
    }

    /** A nearest-class-mean classifier on held-out samples beats chance (0.1) by far on both tasks. */
    @Test
    void glyphsDifferByClass() {
        Dataset train = OverlayDigits.generate(500, 11);
        Dataset test = OverlayDigits.generate(200, 12);
        for (String task : List.of("left", "right")) {
            double[][] means = new double[10][S * S];
            int[] counts = new int[10];
            float[] labels = train.labels(task);
            for (int i = 0; i < train.rows(); i++) {
                int k = (int) labels[i];
                counts[k]++;
                for (int p = 0; p < S * S; p++) {
                    means[k][p] += train.feature(i, p);
                }
            }
            int correct = 0;
            float[] truth = test.labels(task);
            for (int i = 0; i < test.rows(); i++) {
                int best = -1;
                double bestDistance = Double.MAX_VALUE;
                for (int k = 0; k < 10; k++) {
                    double distance = 0;
                    for (int p = 0; p < S * S; p++) {
                        double diff = test.feature(i, p) - means[k][p] / counts[k];
                        distance += diff * diff;
                    }
                    if (distance < bestDistance) {
                        bestDistance = distance;
                        best = k;
                    }
                }
                correct += best == (int) truth[i] ? 1 : 0;
            }
            assertThat(correct / (double) test.rows()).as(task + " nearest-mean accuracy").isGreaterThan(0.3);
        }
    }

    @Test
    void needsARow() {
        assertThatThrownBy(() -> OverlayDigits.generate(0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 row");
    }
}
