package dev.chorus.access;

import java.time.Instant;

/**
 * A stored API token, without its secret: Chorus keeps only the secret's hash.
 *
 * @param prefix the secret's first characters, enough to tell tokens apart in a list
 * @param lastUsedAt when it last signed a request in, to a minute; null if never
 * @param revokedAt when it was revoked; null while it works
 */
public record ApiToken(long id, String name, Role role, String prefix, String createdBy, Instant createdAt,
                       Instant lastUsedAt, Instant revokedAt) {

    public boolean active() {
        return revokedAt == null;
    }
}
