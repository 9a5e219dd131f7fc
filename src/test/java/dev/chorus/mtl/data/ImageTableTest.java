package dev.chorus.mtl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTableTest {

    private static final Task KIND = new Task("kind", TaskType.MULTICLASS, Metric.ACCURACY);
    private static final Task SCORE = new Task("score", TaskType.REGRESSION, Metric.RMSE);
    /** Gray levels of the 2x3 gray image, row-major. */
    private static final int[] GRAY = {0, 51, 102, 153, 204, 255};

    @TempDir
    Path dir;

    @BeforeEach
    void images() throws IOException {
        Files.createDirectories(dir.resolve("imgs"));
        BufferedImage gray = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < GRAY.length; i++) {
            gray.getRaster().setSample(i % 3, i / 3, 0, GRAY[i]);
        }
        write(gray, "png", "imgs/gray.png");
        BufferedImage rgb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xFF0000);
        rgb.setRGB(1, 0, 0x00FF00);
        rgb.setRGB(2, 0, 0x0000FF);
        rgb.setRGB(0, 1, 0xFFFFFF);
        rgb.setRGB(1, 1, 0x000000);
        rgb.setRGB(2, 1, 0x336699);
        write(rgb, "png", "imgs/rgb.png");
        BufferedImage flat = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB); // JPEG, resized to 3x2
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 30; x++) {
                flat.setRGB(x, y, 0x808080);
            }
        }
        write(flat, "jpg", "imgs/flat.jpg");
        BufferedImage big = new BufferedImage(6, 4, BufferedImage.TYPE_BYTE_GRAY); // gray PNG, resized
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                big.getRaster().setSample(x, y, 0, 128);
            }
        }
        write(big, "png", "imgs/big.png");
        Files.writeString(dir.resolve("imgs/broken.png"), "not an image");
    }

    private void write(BufferedImage image, String format, String name) throws IOException {
        assertThat(ImageIO.write(image, format, dir.resolve(name).toFile())).isTrue();
    }

    private Dataset load(String csv, boolean grayscale, Task... tasks) throws IOException {
        Path file = dir.resolve("table.csv");
        Files.writeString(file, csv);
        return ImageTable.load(file, "image", List.of(tasks), 2, 3, grayscale);
    }

    private static final String TABLE = """
            image,kind,score,note
            imgs/gray.png,dog,1.5,a
            imgs/rgb.png,cat,,b
            "imgs/flat.jpg",,2,c
            imgs/big.png,cat,3,d
            """;

    @Test
    void readsGrayscalePixelsInRowMajorOrderWithLabels() throws IOException {
        Dataset data = load(TABLE, true, KIND, SCORE);
        assertThat(data.name()).isEqualTo("table.csv");
        assertThat(data.rows()).isEqualTo(4);
        assertThat(data.featureNames()).containsExactly("px[0,0,0]", "px[0,0,1]", "px[0,0,2]", "px[0,1,0]",
                "px[0,1,1]", "px[0,1,2]");
        for (int i = 0; i < GRAY.length; i++) {
            assertThat(data.feature(0, i)).as("gray pixel %d", i).isEqualTo(GRAY[i] / 255f);
        }
        // colour to gray: round(0.299 R + 0.587 G + 0.114 B)
        assertThat(row(data, 1)).containsExactly(76 / 255f, 150 / 255f, 29 / 255f, 1f, 0f,
                Math.round(0.299 * 0x33 + 0.587 * 0x66 + 0.114 * 0x99) / 255f);
        for (float v : row(data, 2)) {
            assertThat(v).as("JPEG gray 128, resized from 30x20").isCloseTo(128 / 255f, within(3 / 255f));
        }
        assertThat(row(data, 3)).as("gray 128 resized from 6x4 stays 128, not brightened by sRGB")
                .containsOnly(128 / 255f);
        assertThat(data.labels("kind")).containsExactly(1, 0, Float.NaN, 0); // cat < dog
        assertThat(data.labels("score")).containsExactly(1.5f, Float.NaN, 2, 3);
        assertThat(data.classCount("kind")).isEqualTo(2);
    }

    @Test
    void readsColourAsThreeChannelPlanes() throws IOException {
        Dataset data = load(TABLE, false, KIND);
        assertThat(data.featureCount()).isEqualTo(18);
        assertThat(data.featureNames().get(6)).isEqualTo("px[1,0,0]");
        assertThat(data.featureNames().get(17)).isEqualTo("px[2,1,2]");
        float[] rgb = row(data, 1);
        assertThat(Arrays.copyOfRange(rgb, 0, 6)).as("red plane").containsExactly(1, 0, 0, 1, 0, 0x33 / 255f);
        assertThat(Arrays.copyOfRange(rgb, 6, 12)).as("green plane").containsExactly(0, 1, 0, 1, 0, 0x66 / 255f);
        assertThat(Arrays.copyOfRange(rgb, 12, 18)).as("blue plane").containsExactly(0, 0, 1, 1, 0, 0x99 / 255f);
        float[] gray = row(data, 0);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 6; i++) {
                assertThat(gray[c * 6 + i]).as("gray copied to channel %d", c).isEqualTo(GRAY[i] / 255f);
            }
        }
    }

    @Test
    void writtenOverlayDigitsReadBackAsGenerated() {
        // 80 rows hold every digit on both sides, so the sorted class numbering is the digit itself
        OverlayDigits.write(dir.resolve("overlay"), 80, 3);
        List<Task> tasks = OverlayDigits.TASKS.stream()
                .map(t -> new Task(t, TaskType.MULTICLASS, Metric.ACCURACY)).toList();
        Dataset read = ImageTable.load(dir.resolve("overlay/labels.csv"), "image", tasks, 36, 36, true);
        Dataset generated = OverlayDigits.generate(80, 3);
        assertThat(read.classCount("left")).isEqualTo(10);
        assertThat(read.classCount("right")).isEqualTo(10);
        assertThat(read.featureNames()).isEqualTo(generated.featureNames());
        assertThat(read.features()).containsExactly(generated.features());
        assertThat(read.labels("left")).containsExactly(generated.labels("left"));
        assertThat(read.labels("right")).containsExactly(generated.labels("right"));
    }

    @Test
    void missingImageColumnIsNamed() {
        assertThatThrownBy(() -> load("path,kind\nimgs/gray.png,a\nimgs/rgb.png,b\n", true, KIND))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table.csv").hasMessageContaining("no image column 'image'")
                .hasMessageContaining("path, kind");
    }

    @Test
    void duplicateColumnIsNamed() {
        assertThatThrownBy(() -> load("image,kind,kind\nimgs/gray.png,a,b\n", true, KIND))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table.csv: column 'kind' appears twice");
    }

    @Test
    void missingImageFileNamesLineColumnAndFile() {
        assertThatThrownBy(() -> load("image,kind\nimgs/gray.png,a\nimgs/nope.png,b\n", true, KIND))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table.csv line 3, column 'image'")
                .hasMessageContaining("'imgs/nope.png' does not exist");
    }

    @Test
    void unreadableImageNamesLineColumnAndFile() {
        assertThatThrownBy(() -> load("image,kind\nimgs/broken.png,a\nimgs/gray.png,b\n", true, KIND))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table.csv line 2, column 'image'")
                .hasMessageContaining("'imgs/broken.png' is not a readable image");
    }

    @Test
    void unknownTaskColumnIsNamed() {
        assertThatThrownBy(() -> load("image,label\nimgs/gray.png,a\nimgs/rgb.png,b\n", true, KIND))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table.csv").hasMessageContaining("no column 'kind' for task 'kind'")
                .hasMessageContaining("image, label");
    }

    @Test
    void classificationNeedsTwoClasses() {
        assertThatThrownBy(() -> load("image,kind\nimgs/gray.png,a\nimgs/rgb.png,\nimgs/big.png,a\n", true, KIND))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table.csv, column 'kind'").hasMessageContaining("1 class ('a')")
                .hasMessageContaining("at least 2");
    }

    @Test
    void regressionLabelMustBeANumber() {
        assertThatThrownBy(() -> load("image,score\nimgs/gray.png,1\nimgs/rgb.png,high\n", true, SCORE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table.csv line 3, column 'score'").hasMessageContaining("'high'");
    }

    private static float[] row(Dataset data, int row) {
        int d = data.featureCount();
        return Arrays.copyOfRange(data.features(), row * d, (row + 1) * d);
    }
}
