package dev.chorus.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Chorus's own files and folders, which no study may read as data whatever {@code chorus.data.roots}
 * says: the embedded PostgreSQL's data directory ({@code chorus.db.data-dir}, its password file
 * included), the worker processes' logs beside it, Quarkus's log file, and the configuration Quarkus
 * reads from the working directory ({@code config/}, {@code application.properties}, {@code .yaml},
 * {@code .yml} and {@code .env}). Pure functions of the configuration.
 */
public final class OwnFiles {

    private OwnFiles() {
    }

    /** Every file and folder of Chorus's own, as absolute paths (they need not exist). */
    public static List<Path> of(ChorusConfig config) {
        Path workingDir = Path.of("").toAbsolutePath();
        List<Path> own = new ArrayList<>(List.of(Path.of(config.db().dataDir()).toAbsolutePath().normalize(),
                logs(config), workingDir.resolve("config")));
        for (String file : List.of("application.properties", "application.yaml", "application.yml", ".env")) {
            own.add(workingDir.resolve(file));
        }
        String logFile = ConfigProvider.getConfig().getOptionalValue("quarkus.log.file.path", String.class)
                .orElse("quarkus.log");
        own.add(Path.of(logFile).toAbsolutePath().normalize());
        return own;
    }

    /** Where the worker processes beside the coordinator write their logs: {@code logs} beside the database. */
    public static Path logs(ChorusConfig config) {
        return Path.of(config.db().dataDir()).toAbsolutePath().normalize().getParent().resolve("logs");
    }
}
