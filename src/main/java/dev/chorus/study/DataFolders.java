package dev.chorus.study;

import dev.chorus.config.ChorusConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Creates the data roots ({@code chorus.data.roots}, by default {@code ./datasets}) that are missing
 * when Chorus starts, so the folder to put data files in is there from the first start. Only roots
 * under the working directory are created: a missing root elsewhere (an unmounted share) is left for
 * the operator. A root that cannot be created is a warning, not a failed start.
 */
@ApplicationScoped
class DataFolders {

    private static final Logger LOG = Logger.getLogger(DataFolders.class);

    private final ChorusConfig config;

    DataFolders(ChorusConfig config) {
        this.config = config;
    }

    void create(@Observes StartupEvent event) {
        createMissing(config.data().roots(), Path.of("").toAbsolutePath());
    }

    /** Creates each missing root under {@code workingDir}; returns those created. */
    static List<Path> createMissing(List<Path> roots, Path workingDir) {
        List<Path> created = new ArrayList<>();
        for (Path root : roots) {
            Path folder = workingDir.resolve(root).normalize();
            if (Files.exists(folder) || !folder.startsWith(workingDir)) {
                continue;
            }
            try {
                Files.createDirectories(folder);
                created.add(folder);
                LOG.infof("Created the data folder %s: put the data files of your studies there "
                        + "(chorus.data.roots)", folder);
            } catch (IOException e) {
                LOG.warnf("Could not create the data folder %s (%s); studies can read data only under existing "
                        + "chorus.data.roots", folder, e.getMessage());
            }
        }
        return created;
    }
}
