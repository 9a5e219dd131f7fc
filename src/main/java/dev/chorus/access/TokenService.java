package dev.chorus.access;

import dev.chorus.config.ChorusConfig;
import dev.chorus.dispatch.WorkerCredentials;
import dev.chorus.error.StudyNotFoundException;
import dev.chorus.error.ValidationException;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Creates, lists and revokes API tokens and tells who a token belongs to. Besides stored tokens it
 * accepts the admin and worker tokens from configuration and one worker token made at start for the
 * worker processes this coordinator starts itself (never stored, gone with the process).
 *
 * <p>Thread-safe. A token's secret leaves this class once, in {@link Created}; only its SHA-256 is kept.
 */
@ApplicationScoped
@Startup // a configured token that is too short stops the start, not the first request
public class TokenService implements WorkerCredentials {

    private static final Logger LOG = Logger.getLogger(TokenService.class);
    static final int MIN_CONFIGURED_LENGTH = 32;
    static final int MAX_NAME = 100;
    /** A token's last use is recorded at most this often. */
    static final Duration USE_RESOLUTION = Duration.ofMinutes(1);

    /** A token just made: the only time its secret is shown. */
    public record Created(ApiToken token, String secret) {
    }

    /** What a new token is for. */
    public record TokenRequest(String name, String role) {
    }

    private final TokenStore store;
    private final SessionStore sessions;
    private final InstantSource clock;
    private final byte[] adminHash;
    private final byte[] workerHash;
    private final String localWorkerToken = Secrets.newToken();
    private final byte[] localWorkerHash = Secrets.hash(localWorkerToken);

    TokenService(TokenStore store, SessionStore sessions, InstantSource clock, ChorusConfig config) {
        this.store = store;
        this.sessions = sessions;
        this.clock = clock;
        this.adminHash = configured("chorus.auth.admin-token", config.auth().adminToken());
        this.workerHash = configured("chorus.auth.worker-token", config.auth().workerToken());
    }

    private static byte[] configured(String key, Optional<String> token) {
        if (token.isEmpty() || token.get().isBlank()) {
            return null;
        }
        if (token.get().strip().length() < MIN_CONFIGURED_LENGTH) {
            throw new IllegalStateException(key + " must be at least " + MIN_CONFIGURED_LENGTH
                    + " characters long; make one with: openssl rand -hex 32");
        }
        return Secrets.hash(token.get().strip());
    }

    /**
     * @throws ValidationException listing what is wrong with the name or the role
     */
    public Created create(TokenRequest request, Caller by) {
        List<String> problems = new ArrayList<>();
        String name = request == null || request.name() == null ? "" : request.name().strip();
        if (name.isEmpty()) {
            problems.add("name: required; say who or what holds the token (\"ci\", \"alice\", \"gpu-pool\")");
        } else if (name.length() > MAX_NAME) {
            problems.add("name: at most " + MAX_NAME + " characters, not " + name.length());
        } else if (name.chars().anyMatch(Character::isISOControl)) {
            problems.add("name: no control characters");
        }
        Role role = null;
        try {
            role = Role.parse(request == null ? null : request.role());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new ValidationException("the token request is not valid", problems);
        }
        String secret = Secrets.newToken();
        ApiToken token = store.create(name, role, Secrets.hash(secret), Secrets.shownPrefix(secret), by.name(),
                clock.instant());
        LOG.infof("Token %d '%s' (%s) created by %s", token.id(), name, role.id(), by.name());
        return new Created(token, secret);
    }

    public List<ApiToken> list() {
        return store.list();
    }

    /**
     * Revokes at once: the next request with this token is refused, and the dashboard sessions it started
     * end. Revoking twice is harmless.
     */
    public ApiToken revoke(long id, Caller by) {
        ApiToken token = store.find(id).orElseThrow(() -> new StudyNotFoundException("no token with id " + id));
        if (store.revoke(id, clock.instant())) {
            LOG.infof("Token %d '%s' revoked by %s", id, token.name(), by.name());
        }
        int ended = sessions.endAllOf(id);
        if (ended > 0) {
            LOG.infof("Token %d: %d dashboard session(s) ended with it", id, ended);
        }
        return store.find(id).orElseThrow();
    }

    /** Who {@code secret} signs in, if anyone: empty for unknown and revoked tokens. */
    public Optional<Caller> authenticate(String secret) {
        if (secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        return authenticate(Secrets.hash(secret.strip()));
    }

    /** Who the token whose secret hashes to {@code hash} signs in, if anyone; records the use. */
    Optional<Caller> authenticate(byte[] hash) {
        if (adminHash != null && Secrets.sameHash(hash, adminHash)) {
            return Optional.of(new Caller("admin", Role.ADMIN, null));
        }
        if (Secrets.sameHash(hash, localWorkerHash) || workerHash != null && Secrets.sameHash(hash, workerHash)) {
            return Optional.of(new Caller("worker", Role.WORKER, null));
        }
        Optional<ApiToken> token = store.findByHash(hash).filter(ApiToken::active);
        token.ifPresent(t -> {
            Instant now = clock.instant();
            if (t.lastUsedAt() == null || t.lastUsedAt().isBefore(now.minus(USE_RESOLUTION))) {
                store.used(t.id(), now, now.minus(USE_RESOLUTION));
            }
        });
        return token.map(t -> new Caller(t.name(), t.role(), t.id()));
    }

    /** Whether the stored token {@code id} exists and is not revoked. Records no use. */
    boolean active(long id) {
        return store.find(id).filter(ApiToken::active).isPresent();
    }

    /** The token this coordinator's own worker processes present; valid until it stops. */
    @Override
    public String localWorkerToken() {
        return localWorkerToken;
    }
}
