package dev.chorus.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedDatabaseConfigSourceFactoryTest {

    @Test
    void startsInTheDefaultDirectoryWhenNothingIsConfigured() {
        assertThat(EmbeddedDatabaseConfigSourceFactory.dataDir(Map.<String, String>of()::get))
                .contains(Path.of("data/pg"));
    }

    @Test
    void usesTheConfiguredDirectory() {
        assertThat(EmbeddedDatabaseConfigSourceFactory.dataDir(Map.of("chorus.db.data-dir", "/var/chorus")::get))
                .contains(Path.of("/var/chorus"));
    }

    @Test
    void anExternalDatabaseWins() {
        assertThat(EmbeddedDatabaseConfigSourceFactory.dataDir(
                Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://db:5432/chorus")::get)).isEmpty();
    }

    @Test
    void canBeSwitchedOff() {
        assertThat(EmbeddedDatabaseConfigSourceFactory.dataDir(Map.of("chorus.db.embedded", "false")::get)).isEmpty();
    }
}
