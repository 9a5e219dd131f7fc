package dev.chorus.access;

import java.time.Duration;
import java.time.Instant;

/**
 * A stored dashboard session, without its id's secret: Chorus keeps only the hash of the id in the cookie.
 *
 * @param tokenId the stored token it was started with; null for the configured admin token
 * @param tokenHash the SHA-256 of that token: the session signs in only while the token still does
 * @param lastSeenAt when it last signed a request in, to a minute ({@link SessionService#SEEN_RESOLUTION})
 */
public record Session(long id, Long tokenId, byte[] tokenHash, Instant createdAt, Instant lastSeenAt) {

    /**
     * Whether the session is over at {@code now}: unused for {@code idle}, or older than {@code maxAge}.
     * The boundary itself counts as over.
     */
    public boolean expired(Instant now, Duration idle, Duration maxAge) {
        return !now.isBefore(lastSeenAt.plus(idle)) || !now.isBefore(createdAt.plus(maxAge));
    }
}
