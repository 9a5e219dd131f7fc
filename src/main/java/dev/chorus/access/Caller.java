package dev.chorus.access;

/**
 * Who sent a request, once authenticated.
 *
 * @param name the token's name, {@code local} for the loopback convenience, {@code worker} for the
 *     configured or generated worker token, {@code admin} for the configured admin token
 * @param tokenId the stored token's id; null for tokens that come from configuration
 * @param sessionId the dashboard session the request came with; null for a bearer token and loopback
 */
public record Caller(String name, Role role, Long tokenId, Long sessionId) {

    /** A caller signed in without a session: a bearer token or the loopback convenience. */
    public Caller(String name, Role role, Long tokenId) {
        this(name, role, tokenId, null);
    }

    Caller inSession(long session) {
        return new Caller(name, role, tokenId, session);
    }
}
