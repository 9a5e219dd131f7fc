package dev.chorus.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The embedded cluster's password: 256 random bits, kept in {@value #FILE_NAME} (mode 0600) inside the
 * data directory, and the one way in, since every line of the cluster's {@code pg_hba.conf} asks for it
 * ({@code scram-sha-256}).
 *
 * <p>A new cluster gets it from {@code initdb --pwfile} through a file in a private temporary folder,
 * which {@link #settle} moves into the data directory before the server first starts. An existing
 * cluster reads it from the data directory; one made by an older Chorus, whose {@code pg_hba.conf}
 * trusted every local connection, gets a new one, set by {@link #closeTrust} once the server runs.
 *
 * @implNote Not thread-safe; {@link EmbeddedDatabase} uses one per start, under its lock.
 */
final class DatabaseSecret {

    static final String FILE_NAME = "chorus-password";
    private static final Logger LOG = Logger.getLogger(DatabaseSecret.class);
    private static final Pattern TRUST = Pattern.compile("^(\\s*(?:local|host\\w*)\\s.*\\s)trust(\\s*(?:#.*)?)$");
    private static final String OWNER_ONLY = "rw-------";
    private static final Duration RELOAD_WAIT = Duration.ofSeconds(10);
    private static final Duration RELOAD_POLL = Duration.ofMillis(50);

    private final Path dataDir;
    private final String password;
    private Path initdbFile;

    private DatabaseSecret(Path dataDir, String password, Path initdbFile) {
        this.dataDir = dataDir;
        this.password = password;
        this.initdbFile = initdbFile;
    }

    /** A new password for a cluster {@code initdb} is about to create in {@code dataDir}. */
    static DatabaseSecret forNewCluster(Path dataDir) {
        String password = generate();
        try {
            Path folder = Files.createTempDirectory("chorus-initdb",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = folder.resolve("pwfile");
            writeOwnerOnly(file, password);
            return new DatabaseSecret(dataDir, password, file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the new database password for initdb", e);
        }
    }

    /**
     * The password of the cluster in {@code dataDir}: the stored one, or a new one when the cluster
     * still trusts local connections (made by an older Chorus). Fails, saying what to do, when the
     * cluster asks for a password that is no longer stored.
     */
    static DatabaseSecret forExistingCluster(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return new DatabaseSecret(dataDir, read(dataDir), null);
        }
        if (!trusts(dataDir)) {
            throw new IllegalStateException("the embedded database in " + dataDir + " asks for a password that "
                    + "Chorus no longer has (" + file + " is missing): restore that file, or move " + dataDir
                    + " away to start with an empty database");
        }
        String password = generate();
        writeOwnerOnly(file, password);
        return new DatabaseSecret(dataDir, password, null);
    }

    /** The stored password of the cluster in {@code dataDir}. */
    static String read(Path dataDir) {
        try {
            return Files.readString(dataDir.resolve(FILE_NAME), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the embedded database's password in " + dataDir, e);
        }
    }

    String password() {
        return password;
    }

    /** The file {@code initdb --pwfile} reads; only for a new cluster. */
    Path initdbFile() {
        if (initdbFile == null) {
            throw new IllegalStateException("only a new cluster has an initdb password file");
        }
        return initdbFile;
    }

    /** After {@code initdb}, before the first start: the password moves into the data directory. */
    void settle() {
        if (initdbFile == null) {
            return;
        }
        writeOwnerOnly(dataDir.resolve(FILE_NAME), password);
        try {
            Files.deleteIfExists(initdbFile);
            Files.deleteIfExists(initdbFile.getParent());
        } catch (IOException e) {
            LOG.warnf("Could not delete %s: %s", initdbFile, e.getMessage());
        }
        initdbFile = null;
    }

    /**
     * Once the server runs: when {@code pg_hba.conf} still trusts a connection, sets the password and
     * makes every such line ask for it, then reloads the server's configuration. Does nothing otherwise.
     */
    void closeTrust(String url, String user) {
        if (!trusts(dataDir)) {
            return;
        }
        try (Connection c = source(url, user, password).getConnection(); Statement s = c.createStatement()) {
            s.execute("SET password_encryption = 'scram-sha-256'");
            // generate() makes [A-Za-z0-9_-] only, so the literal needs no escaping
            s.execute("ALTER ROLE \"" + user + "\" PASSWORD '" + password + "'");
            rewriteHba();
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("could not require a password on the embedded database in " + dataDir
                    + ": " + e.getMessage(), e);
        }
        awaitRefusal(url, user);
        LOG.warnf("The embedded PostgreSQL in %s let any local user connect without a password (made by an older "
                + "Chorus); it now asks for Chorus's password, kept in %s", dataDir, dataDir.resolve(FILE_NAME));
    }

    /**
     * The server reloads its configuration on a signal, so wait until a connection without the password
     * is refused: Chorus does not start on a cluster that still lets anyone in.
     */
    private void awaitRefusal(String url, String user) {
        PGSimpleDataSource anyone = source(url, user, null);
        long deadline = System.nanoTime() + RELOAD_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = anyone.getConnection()) {
                Thread.sleep(RELOAD_POLL); // still let in: the reload signal is not handled yet
            } catch (SQLException refused) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("the embedded database in " + dataDir + " still lets a connection in "
                + "without a password " + RELOAD_WAIT.toSeconds() + " s after its pg_hba.conf was rewritten");
    }

    /** A data source for {@code user} on {@code url}, with {@code password} unless it is null. */
    static PGSimpleDataSource source(String url, String user, String password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(user);
        if (password != null) {
            ds.setPassword(password);
        }
        return ds;
    }

    /** Whether a line of the cluster's {@code pg_hba.conf} lets a connection in without a password. */
    static boolean trusts(Path dataDir) {
        return lines(dataDir.resolve("pg_hba.conf")).stream().anyMatch(l -> TRUST.matcher(l).matches());
    }

    private void rewriteHba() {
        Path hba = dataDir.resolve("pg_hba.conf");
        String text = String.join("\n", lines(hba).stream()
                .map(l -> TRUST.matcher(l).replaceFirst("$1scram-sha-256$2")).toList()) + "\n";
        writeOwnerOnly(hba, text);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    private static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Writes through a new 0600 file beside {@code file}, then moves it over {@code file}. */
    private static void writeOwnerOnly(Path file, String text) {
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".new");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY)));
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
