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
        return Statements.one(db, "create token " + name, RowMapping::token, """
                INSERT INTO api_token (name, role, token_hash, prefix, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING *""",
                name, role.id(), hash, prefix, createdBy, RowMapping.timestamp(now)).orElseThrow();
    }

    @Override
    public Optional<ApiToken> findByHash(byte[] hash) {
        return Statements.one(db, "look up a token", RowMapping::token, "SELECT * FROM api_token WHERE token_hash = ?", hash);
    }

    @Override
    public List<ApiToken> list() {
        return Statements.many(db, "list tokens", RowMapping::token, "SELECT * FROM api_token ORDER BY id DESC");
    }

    @Override
    public Optional<ApiToken> find(long id) {
        return Statements.one(db, "read token " + id, RowMapping::token, "SELECT * FROM api_token WHERE id = ?", id);
    }

    @Override
    public boolean revoke(long id, Instant now) {
        return Statements.update(db, "revoke token " + id,
                "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", RowMapping.timestamp(now), id) == 1;
    }

    @Override
    public void used(long id, Instant now, Instant notBefore) {
        Statements.update(db, "record a use of token " + id,
                "UPDATE api_token SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                RowMapping.timestamp(now), id, RowMapping.timestamp(notBefore));
    }
}
