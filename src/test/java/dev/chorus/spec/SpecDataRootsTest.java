package dev.chorus.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.chorus.mtl.data.CsvSpec;
import dev.chorus.mtl.data.DataRoots;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new study's data files: confined to the data roots, and loaded, when the study is created. */
class SpecDataRootsTest {

    @TempDir
    Path tmp;

    private Path root;
    private Path outside;
    private DataRoots roots;

    @BeforeEach
    void folders() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        roots = DataRoots.of(List.of(root));
        String csv = "x,a,b\n1,0,0.5\n2,1,1.5\n3,0,2.5\n4,1,3.5\n";
        Files.writeString(root.resolve("rows.csv"), csv);
        Files.writeString(outside.resolve("secret.csv"), csv);
    }

    private static String csvStudy(String path) {
        return """
                name: csv
                dataset:
                  csv: { path: '%s' }
                tasks: [{ name: a, type: binary }, { name: b, type: regression }]
                budget: { max-trials: 3 }
                """.formatted(path);
    }

    private SpecException refused(String yaml) {
        return catchThrowableOfType(SpecException.class, () -> SpecParser.parseNew(yaml, root, roots));
    }

    @Test
    void aFileInsideTheRootsIsAccepted() throws IOException {
        StudySpec spec = SpecParser.parseNew(csvStudy("rows.csv"), root, roots);
        assertThat(((CsvSpec) spec.dataset()).path()).isEqualTo(root.resolve("rows.csv").toAbsolutePath());
        Files.createDirectories(root.resolve("sub"));
        Files.createSymbolicLink(root.resolve("sub/link.csv"), root.resolve("rows.csv"));
        assertThat(SpecParser.parseNew(csvStudy("sub/link.csv"), root, roots)).isNotNull();
    }

    @Test
    void pathsLeadingOutAreRefusedNamingTheFieldAndTheRoots() throws IOException {
        Files.createSymbolicLink(root.resolve("link.csv"), outside.resolve("secret.csv"));
        Files.createSymbolicLink(root.resolve("dir"), outside);
        for (String path : List.of("../outside/secret.csv", outside.resolve("secret.csv").toString(), "link.csv",
                "dir/secret.csv", "/etc/passwd", "sub/../../outside/secret.csv")) {
            SpecException e = refused(csvStudy(path));
            assertThat(e.problems()).as(path).singleElement().satisfies(p -> {
                assertThat(p.path()).isEqualTo("dataset.csv.path");
                assertThat(p.line()).isEqualTo(3);
                assertThat(p.message()).contains("outside the data roots", root.toString(), "chorus.data.roots");
            });
        }
    }

    @Test
    void aRefusalOutsideSaysNothingAboutWhetherTheFileExists() {
        String existing = refused(csvStudy(outside.resolve("secret.csv").toString())).getMessage();
        String missing = refused(csvStudy(outside.resolve("nothing.csv").toString())).getMessage();
        assertThat(missing).isEqualTo(existing.replace("secret.csv", "nothing.csv"));
    }

    @Test
    void storedStudiesAreNeitherConfinedNorLoaded() {
        assertThat(SpecParser.parse(csvStudy(outside.resolve("secret.csv").toString()), root)).isNotNull();
    }

    @Test
    void aFileThatDoesNotLoadIsOneProblemOnItsSourceLine() throws IOException {
        Files.writeString(root.resolve("rows.csv"), "x,a,b\n1,0,0.5\n2,1\n");
        assertThat(refused(csvStudy("rows.csv")).getMessage())
                .isEqualTo("line 3: dataset.csv: rows.csv line 3: 2 fields, but the header has 3 columns");
        Files.write(root.resolve("rows.csv"), new byte[] {'x', ',', 'a', '\n', (byte) 0xC3, (byte) 0x28});
        assertThat(refused(csvStudy("rows.csv")).getMessage()).contains("rows.csv is not UTF-8 text");
    }

    private String imageStudy() {
        return """
                name: images
                dataset:
                  images: { path: labels.csv, height: 4, width: 4 }
                tasks: [{ name: a, type: binary }, { name: b, type: regression }]
                budget: { max-trials: 3 }
                """;
    }

    private void images(String... cells) throws IOException {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        ImageIO.write(image, "png", root.resolve("ok.png").toFile());
        ImageIO.write(image, "png", outside.resolve("out.png").toFile());
        StringBuilder table = new StringBuilder("image,a,b\n");
        for (int i = 0; i < cells.length; i++) {
            table.append(cells[i]).append(',').append(i % 2).append(',').append(i).append('\n');
        }
        Files.writeString(root.resolve("labels.csv"), table, StandardCharsets.UTF_8);
    }

    @Test
    void imagesListedInATableAreConfinedAndCheckedBeforeDecoding() throws IOException {
        images("ok.png", "ok.png", "ok.png", "ok.png");
        assertThat(SpecParser.parseNew(imageStudy(), root, roots)).isNotNull();

        images("ok.png", "../outside/out.png", "ok.png", "ok.png");
        assertThat(refused(imageStudy()).getMessage()).contains("labels.csv line 3, column 'image'",
                "'../outside/out.png' is outside the data roots", "chorus.data.roots");

        byte[] huge = Files.readAllBytes(root.resolve("ok.png"));
        huge[16] = 0x10; // IHDR width 268435460: refused from the header, never decoded
        Files.write(root.resolve("huge.png"), huge);
        images("ok.png", "huge.png", "ok.png", "ok.png");
        assertThat(refused(imageStudy()).getMessage()).contains("huge.png", "pixels; allowed: at most 16777216");

        Files.write(root.resolve("cut.png"), java.util.Arrays.copyOf(Files.readAllBytes(root.resolve("ok.png")), 20));
        images("ok.png", "cut.png", "ok.png", "ok.png");
        assertThat(refused(imageStudy()).getMessage()).contains("image file 'cut.png' cannot be read");
    }

    @Test
    void aSyntheticDataSetHasABoundedSize() {
        String yaml = """
                name: big
                dataset: { synthetic: { rows: 2000000, features: 11, clusters: { c: [a, b] } } }
                tasks: [{ name: a, type: binary }, { name: b, type: regression }]
                budget: { max-trials: 3 }
                """;
        assertThatThrownBy(() -> SpecParser.parse(yaml, root)).isInstanceOf(SpecException.class)
                .hasMessageContaining("dataset.synthetic.rows: 2000000 rows of 11 features are 22000000 values; "
                        + "allowed: rows * features at most 20000000");
    }

    /**
     * Issue 16, "Data roots": with the working directory as the root, a study could name the embedded
     * database's files ({@code data/pg/postmaster.opts}) and the 400 quoted their first line. Chorus's own
     * files are refused whatever the roots say, lexically and through links, before anything is read.
     */
    @Test
    void chorusOwnFilesAreNeverDataWhateverTheRootsSay() throws IOException {
        Path pg = Files.createDirectories(root.resolve("data/pg"));
        Path logs = Files.createDirectories(root.resolve("data/logs"));
        Path config = Files.createDirectories(root.resolve("config"));
        String secret = "/opt/postgres/bin/postgres \"-D\" \"SECRET-LINE\"\n";
        for (Path file : List.of(pg.resolve("postmaster.opts"), pg.resolve("chorus-password"),
                logs.resolve("worker-0.log"), config.resolve("application.properties"), root.resolve(".env"))) {
            Files.writeString(file, secret + "x,a,b\n1,0,0.5\n");
        }
        roots = DataRoots.of(List.of(root), List.of(pg, logs, config, root.resolve(".env")));
        Files.createSymbolicLink(root.resolve("innocent.csv"), pg.resolve("postmaster.opts"));
        Files.createSymbolicLink(root.resolve("folder"), pg);
        for (String path : List.of("data/pg/postmaster.opts", "data/pg/chorus-password", "data/logs/worker-0.log",
                "config/application.properties", ".env", "innocent.csv", "folder/postmaster.opts",
                "sub/../data/pg/postmaster.opts", pg.resolve("postmaster.opts").toString(), "data/pg/nothing.csv")) {
            SpecException e = refused(csvStudy(path));
            assertThat(e.problems()).as(path).singleElement().satisfies(p -> {
                assertThat(p.path()).isEqualTo("dataset.csv.path");
                assertThat(p.message()).contains("lies in Chorus's own files", "chorus.data.roots")
                        .doesNotContain("SECRET-LINE", "bin/postgres");
            });
        }
        assertThat(roots.contains(root.resolve("rows.csv"))).as("the rest of the root is data").isTrue();
        assertThat(roots.contains(pg.resolve("postmaster.opts"))).isFalse();

        // an image table of one's own that lists a file of Chorus's
        images("ok.png", "data/pg/postmaster.opts", "ok.png", "ok.png");
        assertThat(refused(imageStudy()).getMessage()).contains("'data/pg/postmaster.opts' is outside the data roots")
                .doesNotContain("SECRET-LINE");
    }

    @Test
    void rootsResolveLinksAndRefuseAnEmptyList() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("root-link"), root);
        DataRoots viaLink = DataRoots.of(List.of(link));
        assertThat(viaLink.contains(root.resolve("rows.csv"))).isTrue();
        assertThat(viaLink.contains(link.resolve("rows.csv"))).isTrue();
        assertThat(viaLink.contains(outside.resolve("secret.csv"))).isFalse();
        assertThat(DataRoots.ANY.contains(Path.of("/etc/passwd"))).isTrue();
        assertThatThrownBy(() -> DataRoots.of(List.of())).hasMessageContaining("chorus.data.roots");
    }
}
