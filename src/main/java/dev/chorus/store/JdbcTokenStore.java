package dev.chorus.store;

import dev.chorus.access.ApiToken;
import dev.chorus.access.Role;
import dev.chorus.access.TokenStore;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link TokenStore} on PostgreSQL. */
@ApplicationScoped
class JdbcTokenStore implements TokenStore {

    private final AgroalDataSource db;

    JdbcTokenStore(AgroalDataSource db) {
        this.db = db;
    }

    @Override
    public ApiToken create(String name, Role role, byte[] hash, String prefix, String createdBy, Instant now) {
        return Sql.one(db, "create token " + name, Rows::token, """
                INSERT INTO api_token (name, role, token_hash, prefix, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING *""",
                name, role.id(), hash, prefix, createdBy, Rows.timestamp(now)).orElseThrow();
    }

    @Override
    public Optional<ApiToken> findByHash(byte[] hash) {
        return Sql.one(db, "look up a token", Rows::token, "SELECT * FROM api_token WHERE token_hash = ?", hash);
    }

    @Override
    public List<ApiToken> list() {
        return Sql.many(db, "list tokens", Rows::token, "SELECT * FROM api_token ORDER BY id DESC");
    }

    @Override
    public Optional<ApiToken> find(long id) {
        return Sql.one(db, "read token " + id, Rows::token, "SELECT * FROM api_token WHERE id = ?", id);
    }

    @Override
    public boolean revoke(long id, Instant now) {
        return Sql.update(db, "revoke token " + id,
                "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", Rows.timestamp(now), id) == 1;
    }

    @Override
    public void used(long id, Instant now, Instant notBefore) {
        Sql.update(db, "record a use of token " + id,
                "UPDATE api_token SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                Rows.timestamp(now), id, Rows.timestamp(notBefore));
    }
}
