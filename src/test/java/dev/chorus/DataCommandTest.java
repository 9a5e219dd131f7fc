package dev.chorus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.ImageTable;
import dev.chorus.mtl.data.OverlayDigits;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chorus data overlay}: writes a dataset a study can load, and explains every bad argument. */
class DataCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return DataCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesImagesAndLabelsThatAStudyLoads(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("overlay");
        assertThat(run("overlay", "--rows", "12", "--seed", "3", "--out", folder.toString())).as(err()).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("wrote 12 overlay-digit images (seed 3)",
                folder.resolve("labels.csv").toString());
        try (Stream<Path> images = Files.list(folder.resolve("images"))) {
            assertThat(images.filter(p -> p.toString().endsWith(".png")).count()).isEqualTo(12);
        }
        Dataset loaded = ImageTable.load(folder.resolve("labels.csv"), "image",
                List.of(new Task("left", TaskType.MULTICLASS, Metric.ACCURACY),
                        new Task("right", TaskType.MULTICLASS, Metric.ACCURACY)), 36, 36, true);
        assertThat(loaded.features()).hasSize(12 * 36 * 36);
        Dataset generated = OverlayDigits.generate(12, 3); // the same labels, written as digits
        List<String> lines = Files.readAllLines(folder.resolve("labels.csv"));
        assertThat(lines.getFirst()).isEqualTo("image,left,right");
        for (int i = 0; i < 12; i++) {
            assertThat(lines.get(i + 1)).isEqualTo("images/%06d.png,%d,%d".formatted(i,
                    (int) generated.labels().get("left")[i], (int) generated.labels().get("right")[i]));
        }
    }

    @Test
    void refusesToWriteOverADataset(@TempDir Path dir) {
        assertThat(run("overlay", "--rows", "2", "--out", dir.toString())).isZero();
        assertThat(run("overlay", "--rows", "2", "--out", dir.toString())).isEqualTo(2);
        assertThat(err()).contains("already holds a labels.csv; delete the folder or choose another");
    }

    @Test
    void badArgumentsSayWhatToChangeAndWriteNothing(@TempDir Path dir) throws Exception {
        String folder = dir.resolve("x").toString();
        assertThat(run("overlay", "--rows", "0", "--out", folder)).isEqualTo(2);
        assertThat(run("overlay", "--rows", "many", "--out", folder)).isEqualTo(2);
        assertThat(run("overlay", "--rows", Integer.toString(OverlayDigits.MAX_ROWS + 1), "--out", folder)).isEqualTo(2);
        assertThat(err()).contains("--rows must be a whole number from 1 to " + OverlayDigits.MAX_ROWS + ", was '0'",
                "was 'many'");
        assertThat(run("overlay", "--seed", "1.5", "--out", folder)).isEqualTo(2);
        assertThat(err()).contains("--seed must be a whole number, was '1.5'");
        assertThat(run("overlay", "--out")).isEqualTo(2);
        assertThat(err()).contains("--out needs a value");
        assertThat(run("overlay", "--size", "3")).isEqualTo(2);
        assertThat(err()).contains("unknown option '--size'; the options are --rows, --seed and --out");
        assertThat(run("mnist")).isEqualTo(2);
        assertThat(err()).contains("unknown dataset 'mnist'; the one Chorus can generate is overlay", "usage:");
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThat(run("overlay", "--out", file.toString())).isEqualTo(2);
        assertThat(err()).contains("is a file; name a folder");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void helpPrintsTheUsage() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("data overlay [--rows N] [--seed S] [--out DIR]");
        assertThat(run()).isEqualTo(2);
    }
}
