package dev.chorus.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory that cannot hold the database is refused at start with what to fix. */
class EmbeddedDatabaseTest {

    @Test
    void aFileWhereTheDirectoryShouldBeIsRefused(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("pg"), "not a directory");
        assertThatThrownBy(() -> EmbeddedDatabase.checkUsable(file, 0))
                .hasMessageContaining("is a file, not a directory").hasMessageContaining("chorus.db.data-dir");
        assertThatThrownBy(() -> EmbeddedDatabase.checkUsable(file.resolve("inside"), 0))
                .hasMessageContaining("cannot be written");
    }

    @Test
    void aFullDiskIsRefused(@TempDir Path tmp) {
        assertThatThrownBy(() -> EmbeddedDatabase.checkUsable(tmp.resolve("pg"), Long.MAX_VALUE))
                .hasMessageContaining("is full").hasMessageContaining("MiB free");
        assertThatCode(() -> EmbeddedDatabase.checkUsable(tmp.resolve("pg"), EmbeddedDatabase.MIN_FREE_BYTES))
                .doesNotThrowAnyException();
    }
}
