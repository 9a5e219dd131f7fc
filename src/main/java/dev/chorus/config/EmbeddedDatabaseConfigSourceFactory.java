package dev.chorus.config;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Makes an embedded PostgreSQL the default datasource. Does nothing when
 * {@code quarkus.datasource.jdbc.url} is set (in a file, a system property or
 * {@code QUARKUS_DATASOURCE_JDBC_URL}): an external database always wins. Also does nothing at
 * build time and when {@code chorus.db.embedded=false}.
 *
 * <p>The data directory is {@code chorus.db.data-dir} (default {@code ./data/pg}).
 */
public final class EmbeddedDatabaseConfigSourceFactory implements ConfigSourceFactory {

    static final String URL = "quarkus.datasource.jdbc.url";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (ExecutionMode.current() == ExecutionMode.UNSET) {
            return List.of(); // the build step reads config too: never start a server then
        }
        return dataDir(name -> {
            ConfigValue v = context.getValue(name);
            return v == null || v.getValue() == null || v.getValue().isBlank() ? null : v.getValue();
        }).map(dir -> {
            EmbeddedDatabase.Endpoint db = start(dir);
            return List.<ConfigSource>of(new EmbeddedSource(Map.of(
                    URL, db.url(),
                    "quarkus.datasource.username", db.user(),
                    "quarkus.datasource.password", db.password())));
        }).orElse(List.of());
    }

    /** Starts the server; a data directory that cannot hold it is said plainly before Quarkus's own report. */
    private static EmbeddedDatabase.Endpoint start(Path dir) {
        try {
            return EmbeddedDatabase.start(dir);
        } catch (RuntimeException e) {
            System.err.println("Chorus cannot start: " + e.getMessage());
            throw e;
        }
    }

    /**
     * The data directory of the embedded server to start, or empty when an external database is
     * configured or the embedded one is switched off.
     *
     * @param setting a setting's value, or null when it is not set
     */
    static Optional<Path> dataDir(Function<String, String> setting) {
        if (setting.apply(URL) != null || "false".equalsIgnoreCase(setting.apply("chorus.db.embedded"))) {
            return Optional.empty();
        }
        String dir = setting.apply("chorus.db.data-dir");
        return Optional.of(Path.of(dir == null ? "data/pg" : dir));
    }

    /** Low ordinal: anything the user configures overrides it. */
    static final class EmbeddedSource extends MapBackedConfigSource {
        EmbeddedSource(Map<String, String> values) {
            super("chorus-embedded-postgres", values, 50);
        }
    }
}
