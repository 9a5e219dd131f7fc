package dev.chorus.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Chorus's own settings ({@code chorus.*} in application.properties, or {@code CHORUS_*} variables). */
@ConfigMapping(prefix = "chorus")
public interface ChorusConfig {

    Db db();

    Worker worker();

    Coordinator coordinator();

    /**
     * Where models train: {@code auto} (a GPU when PyTorch sees one), {@code cpu} or {@code gpu}. Read by
     * the trainer from the system property or {@code CHORUS_DEVICE}; declared here so it is a known
     * setting.
     */
    @WithDefault("auto")
    String device();

    /** The embedded PostgreSQL; ignored when {@code quarkus.datasource.jdbc.url} is set. */
    interface Db {
        /** Start an embedded PostgreSQL when no external one is configured. */
        @WithDefault("true")
        boolean embedded();

        /** Where the embedded PostgreSQL keeps its data; survives restarts. */
        @WithDefault("data/pg")
        String dataDir();
    }

    /** The in-process worker that trains trials. */
    interface Worker {
        /** Run a worker in this process. */
        @WithDefault("true")
        boolean enabled();

        /** How long an idle worker waits before looking for a waiting trial again. */
        @WithDefault("500ms")
        Duration poll();

        /** Claims of one trial before it is failed for good (a worker that died mid-trial counts). */
        @WithDefault("3")
        int maxAttempts();
    }

    /** The loop that turns running studies' budgets into trials. */
    interface Coordinator {
        /** Run the coordinator loop in this process. */
        @WithDefault("true")
        boolean enabled();

        /** How often running studies are checked for finished generations. */
        @WithDefault("500ms")
        Duration interval();
    }
}
