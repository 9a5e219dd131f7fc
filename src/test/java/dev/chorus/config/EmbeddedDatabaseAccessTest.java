package dev.chorus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Only Chorus connects to its embedded PostgreSQL (issue 16, item 1): a connection without the stored
 * password, or with another one, is refused on TCP, and no {@code trust} line remains, for a new
 * cluster and for one an older Chorus made with {@code initdb -A trust}.
 */
class EmbeddedDatabaseAccessTest {

    private static final Path ROOT = Path.of("target", "pg-access-test");
    private final Path fresh = ROOT.resolve("fresh").toAbsolutePath();
    private final Path legacy = ROOT.resolve("legacy").toAbsolutePath();

    @BeforeEach
    @AfterEach
    void clean() throws IOException {
        EmbeddedDatabase.stop(fresh);
        EmbeddedDatabase.stop(legacy);
        if (Files.exists(ROOT)) {
            try (var paths = Files.walk(ROOT)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aNewClusterRefusesEveryoneWithoutItsPassword() throws Exception {
        EmbeddedDatabase.Endpoint db = EmbeddedDatabase.start(fresh);

        assertThat(selectOne(db.url(), db.user(), db.password())).isEqualTo(1);
        assertRefused(db.url(), db.user(), null);
        assertRefused(db.url(), db.user(), "postgres");
        assertThat(DatabaseSecret.trusts(fresh)).as("a trust line in pg_hba.conf").isFalse();
        Path secret = fresh.resolve(DatabaseSecret.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(Files.readString(secret).strip()).isEqualTo(db.password()).hasSize(43);

        EmbeddedDatabase.stop(fresh);
        EmbeddedDatabase.Endpoint again = EmbeddedDatabase.start(fresh);
        assertThat(again.password()).as("the password survives a restart").isEqualTo(db.password());
        assertThat(selectOne(again.url(), again.user(), again.password())).isEqualTo(1);
    }

    @Test
    void aClusterThatTrustedLocalConnectionsAsksForThePasswordAfterItsNextStart() throws Exception {
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(legacy).setCleanDataDirectory(false)
                .start()) {
            // as an older Chorus left it: anyone on the machine could log in
            assertThat(selectOne(old.getJdbcUrl("postgres", "postgres"), "postgres", null)).isEqualTo(1);
        }
        assertThat(DatabaseSecret.trusts(legacy)).isTrue();

        EmbeddedDatabase.Endpoint db = EmbeddedDatabase.start(legacy);

        assertRefused(db.url(), db.user(), null);
        assertThat(selectOne(db.url(), db.user(), db.password())).isEqualTo(1);
        assertThat(DatabaseSecret.trusts(legacy)).isFalse();
    }

    @Test
    void aClusterWhosePasswordFileWasLostSaysWhatToDo() throws Exception {
        EmbeddedDatabase.start(fresh);
        EmbeddedDatabase.stop(fresh);
        Files.delete(fresh.resolve(DatabaseSecret.FILE_NAME));

        assertThatThrownBy(() -> EmbeddedDatabase.start(fresh))
                .hasMessageContaining(DatabaseSecret.FILE_NAME + " is missing")
                .hasMessageContaining("restore that file");
    }

    private static int selectOne(String url, String user, String password) throws SQLException {
        try (Connection c = DatabaseSecret.source(url, user, password).getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void assertRefused(String url, String user, String password) {
        assertThatThrownBy(() -> selectOne(url, user, password)).isInstanceOf(SQLException.class)
                .hasMessageContaining("password");
    }
}
