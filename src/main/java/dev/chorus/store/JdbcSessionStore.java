package dev.chorus.store;

import dev.chorus.access.Session;
import dev.chorus.access.SessionStore;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/** {@link SessionStore} on PostgreSQL. */
@ApplicationScoped
class JdbcSessionStore implements SessionStore {

    private final AgroalDataSource db;

    JdbcSessionStore(AgroalDataSource db) {
        this.db = db;
    }

    @Override
    public Session create(byte[] hash, Long tokenId, byte[] tokenHash, Instant now) {
        return Statements.one(db, "start a dashboard session", RowMapping::session, """
                INSERT INTO dashboard_session (session_hash, token_id, token_hash, created_at, last_seen_at)
                VALUES (?, ?, ?, ?, ?) RETURNING *""",
                hash, tokenId, tokenHash, RowMapping.timestamp(now), RowMapping.timestamp(now)).orElseThrow();
    }

    @Override
    public Optional<Session> findByHash(byte[] hash) {
        return Statements.one(db, "look up a dashboard session", RowMapping::session,
                "SELECT * FROM dashboard_session WHERE session_hash = ?", hash);
    }

    @Override
    public Optional<Session> find(long id) {
        return Statements.one(db, "read dashboard session " + id, RowMapping::session,
                "SELECT * FROM dashboard_session WHERE id = ?", id);
    }

    @Override
    public void seen(long id, Instant now, Instant notBefore) {
        Statements.update(db, "record a use of dashboard session " + id,
                "UPDATE dashboard_session SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?",
                RowMapping.timestamp(now), id, RowMapping.timestamp(notBefore));
    }

    @Override
    public boolean end(long id) {
        return Statements.update(db, "end dashboard session " + id,
                "DELETE FROM dashboard_session WHERE id = ?", id) == 1;
    }

    @Override
    public int endAllOf(long tokenId) {
        return Statements.update(db, "end the dashboard sessions of token " + tokenId,
                "DELETE FROM dashboard_session WHERE token_id = ?", tokenId);
    }

    @Override
    public int purge(Instant idleBefore, Instant createdBefore) {
        return Statements.update(db, "delete expired dashboard sessions",
                "DELETE FROM dashboard_session WHERE last_seen_at < ? OR created_at < ?",
                RowMapping.timestamp(idleBefore), RowMapping.timestamp(createdBefore));
    }
}
