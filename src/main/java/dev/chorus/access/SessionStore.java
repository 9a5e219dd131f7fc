package dev.chorus.access;

import java.time.Instant;
import java.util.Optional;

/**
 * Dashboard sessions, kept as hashes of their ids.
 *
 * @implNote Implementations are thread-safe. They never see a session's id, only its hash; a hash belongs
 *     to at most one session. Deleting a stored token deletes its sessions.
 */
public interface SessionStore {

    /** @param tokenId the stored token the session belongs to; null for a token from configuration */
    Session create(byte[] hash, Long tokenId, byte[] tokenHash, Instant now);

    /** The session whose id hashes to {@code hash}, expired or not. */
    Optional<Session> findByHash(byte[] hash);

    Optional<Session> find(long id);

    /** Records a use, unless one was recorded since {@code notBefore}: a busy session costs no write per request. */
    void seen(long id, Instant now, Instant notBefore);

    /** @return false when there is no such session (already ended) */
    boolean end(long id);

    /** Ends every session of the stored token {@code tokenId}; returns how many there were. */
    int endAllOf(long tokenId);

    /** Deletes sessions last seen before {@code idleBefore} or created before {@code createdBefore}; returns how many. */
    int purge(Instant idleBefore, Instant createdBefore);
}
