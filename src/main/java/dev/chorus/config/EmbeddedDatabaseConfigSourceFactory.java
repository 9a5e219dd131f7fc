package dev.chorus.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        if (io.quarkus.runtime.ExecutionMode.current() == io.quarkus.runtime.ExecutionMode.UNSET) {
            return List.of(); // the build step reads config too: never start a server then
        }
        if (isSet(context.getValue(URL)) || "false".equalsIgnoreCase(value(context, "chorus.db.embedded", "true"))) {
            return List.of();
        }
        Path dir = Path.of(value(context, "chorus.db.data-dir", "data/pg"));
        String url = EmbeddedDatabase.urlFor(dir);
        return List.of(new EmbeddedSource(Map.of(
                URL, url,
                "quarkus.datasource.username", EmbeddedDatabase.user(),
                "quarkus.datasource.password", "")));
    }

    private static boolean isSet(ConfigValue v) {
        return v != null && v.getValue() != null && !v.getValue().isBlank();
    }

    private static String value(ConfigSourceContext context, String name, String fallback) {
        ConfigValue v = context.getValue(name);
        return isSet(v) ? v.getValue() : fallback;
    }

    /** Low ordinal: anything the user configures overrides it. */
    static final class EmbeddedSource extends MapBackedConfigSource {
        EmbeddedSource(Map<String, String> values) {
            super("chorus-embedded-postgres", values, 50);
        }
    }
}
