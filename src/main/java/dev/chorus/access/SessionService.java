package dev.chorus.access;

import dev.chorus.config.ChorusConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Dashboard sessions: signing in with a token starts one, whose random id the browser keeps in a cookie
 * instead of the token. A session signs in while
 * <ul>
 *   <li>it was used within {@code chorus.sessions.idle-timeout} and is younger than
 *   {@code chorus.sessions.max-age} (both read against the injected clock), and</li>
 *   <li>the token it was started with still signs in: revoking the token ends its sessions, and so does
 *   changing the configured admin token.</li>
 * </ul>
 * Signing out ends it. A session's last use is recorded at most once per {@link #SEEN_RESOLUTION}, so the
 * idle limit is kept to within that.
 *
 * <p>Thread-safe. A session's id leaves this class once, in {@link SignIn.Started}; only its SHA-256 is kept.
 */
@ApplicationScoped
public class SessionService {

    private static final Logger LOG = Logger.getLogger(SessionService.class);
    /** A session's last use is recorded at most this often. */
    static final Duration SEEN_RESOLUTION = Duration.ofMinutes(1);

    /** What signing in with a token gave. */
    public sealed interface SignIn {
        /** A new session: {@code sessionId} goes into the cookie and is not kept anywhere else. */
        record Started(String sessionId, Caller caller) implements SignIn {
        }

        /** The token is unknown or was revoked. */
        record Unknown() implements SignIn {
        }

        /** A worker's token: workers speak the trial protocol only and start no sessions. */
        record Worker() implements SignIn {
        }
    }

    private final SessionStore store;
    private final TokenService tokens;
    private final InstantSource clock;
    private final Duration idle;
    private final Duration maxAge;

    SessionService(SessionStore store, TokenService tokens, InstantSource clock, ChorusConfig config) {
        this.store = store;
        this.tokens = tokens;
        this.clock = clock;
        this.idle = positive("chorus.sessions.idle-timeout", config.sessions().idleTimeout());
        this.maxAge = positive("chorus.sessions.max-age", config.sessions().maxAge());
    }

    private static Duration positive(String key, Duration value) {
        if (!value.isPositive()) {
            throw new IllegalStateException(key + " must be a positive duration (such as 30m, 8h or 7d), not " + value);
        }
        return value;
    }

    /** Starts a session for whoever {@code token} signs in; sessions already expired are deleted on the way. */
    public SignIn start(String token) {
        if (token == null || token.isBlank()) {
            return new SignIn.Unknown();
        }
        byte[] tokenHash = Secrets.hash(token.strip());
        Optional<Caller> caller = tokens.authenticate(tokenHash);
        if (caller.isEmpty()) {
            return new SignIn.Unknown();
        }
        if (caller.get().role() == Role.WORKER) {
            return new SignIn.Worker();
        }
        Instant now = clock.instant();
        int purged = store.purge(now.minus(idle), now.minus(maxAge));
        if (purged > 0) {
            LOG.debugf("%d expired dashboard session(s) deleted", purged);
        }
        String id = Secrets.newSessionId();
        Session session = store.create(Secrets.hash(id), caller.get().tokenId(), tokenHash, now);
        return new SignIn.Started(id, caller.get().inSession(session.id()));
    }

    /**
     * Who the session {@code sessionId} signs in, if anyone: empty for unknown, ended and expired sessions
     * and for those whose token no longer signs in (those are deleted). Records the use.
     */
    public Optional<Caller> authenticate(String sessionId) {
        if (sessionId == null || sessionId.isBlank()) {
            return Optional.empty();
        }
        Optional<Session> found = store.findByHash(Secrets.hash(sessionId.strip()));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Session session = found.get();
        Instant now = clock.instant();
        Optional<Caller> caller = signsIn(session, now);
        if (caller.isEmpty()) {
            store.end(session.id());
            return Optional.empty();
        }
        if (session.lastSeenAt().isBefore(now.minus(SEEN_RESOLUTION))) {
            store.seen(session.id(), now, now.minus(SEEN_RESOLUTION));
        }
        return caller.map(c -> c.inSession(session.id()));
    }

    /** Signs out: the session {@code sessionId} signs nobody in from now on. Unknown ids are ignored. */
    public void end(String sessionId) {
        if (sessionId != null && !sessionId.isBlank()) {
            store.findByHash(Secrets.hash(sessionId.strip())).ifPresent(s -> store.end(s.id()));
        }
    }

    /**
     * Whether the credential {@code caller} signed in with still signs in: its session (not expired, its
     * token not revoked) or its stored token (not revoked). Tokens from configuration and the loopback
     * convenience cannot be revoked while Chorus runs and always pass. For long requests (event streams)
     * that ask again now and then; records no use of the session.
     */
    public boolean stillValid(Caller caller) {
        if (caller.sessionId() != null) {
            return store.find(caller.sessionId()).flatMap(s -> signsIn(s, clock.instant())).isPresent();
        }
        return caller.tokenId() == null || tokens.active(caller.tokenId());
    }

    private Optional<Caller> signsIn(Session session, Instant now) {
        if (session.expired(now, idle, maxAge)) {
            return Optional.empty();
        }
        return tokens.authenticate(session.tokenHash()).filter(c -> c.role() != Role.WORKER);
    }
}
