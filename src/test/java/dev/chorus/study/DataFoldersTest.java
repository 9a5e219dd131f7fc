package dev.chorus.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16, "Data roots": the default data root is a folder of its own, made on the first start. */
class DataFoldersTest {

    @TempDir
    Path tmp;

    @Test
    void theDefaultRootIsTheDatasetsFolderNotTheWorkingDirectory() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = DataFoldersTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        assertThat(properties.getProperty("chorus.data.roots")).isEqualTo("datasets");
    }

    @Test
    void missingRootsUnderTheWorkingDirectoryAreCreatedOnce() throws IOException {
        Path elsewhere = tmp.resolveSibling(tmp.getFileName() + "-elsewhere");
        List<Path> created = DataFolders.createMissing(List.of(Path.of("datasets"), elsewhere), tmp);
        assertThat(created).containsExactly(tmp.resolve("datasets"));
        assertThat(tmp.resolve("datasets")).isDirectory();
        assertThat(elsewhere).as("a root outside the working directory is the operator's").doesNotExist();
        Files.writeString(tmp.resolve("datasets/rows.csv"), "x\n");
        assertThat(DataFolders.createMissing(List.of(Path.of("datasets")), tmp)).isEmpty();
        assertThat(tmp.resolve("datasets/rows.csv")).exists();
    }
}
