package dev.chorus.access;

import dev.chorus.access.ApiToken;
import dev.chorus.access.Role;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * API tokens, kept as hashes of their secrets.
 *
 * @implNote Implementations are thread-safe. They never see a token's secret, only its hash; a hash
 *     belongs to at most one token.
 */
public interface TokenStore {

    ApiToken create(String name, Role role, byte[] hash, String prefix, String createdBy, Instant now);

    /** The token whose secret hashes to {@code hash}, revoked or not. */
    Optional<ApiToken> findByHash(byte[] hash);

    /** Every token, revoked ones included, newest first. */
    List<ApiToken> list();

    Optional<ApiToken> find(long id);

    /** @return false when there is no such token or it was already revoked */
    boolean revoke(long id, Instant now);

    /** Records a use, unless one was recorded since {@code notBefore}: a busy token costs no write per request. */
    void used(long id, Instant now, Instant notBefore);
}
