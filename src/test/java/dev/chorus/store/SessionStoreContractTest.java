package dev.chorus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.access.ApiToken;
import dev.chorus.access.Role;
import dev.chorus.access.Secrets;
import dev.chorus.access.Session;
import dev.chorus.access.SessionStore;
import dev.chorus.access.TokenStore;
import dev.chorus.error.StoreException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The {@link SessionStore} contract, against the real PostgreSQL. */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class SessionStoreContractTest {

    static final Instant T0 = Instant.parse("2031-03-01T00:00:00Z");

    @Inject
    SessionStore sessions;

    @Inject
    TokenStore tokens;

    private ApiToken token(String name) {
        return tokens.create(name, Role.VIEWER, Secrets.hash(Secrets.newToken()), "chorus_dddddd", "admin", T0);
    }

    @Test
    void aSessionIsFoundByItsHashOrIdAndKeepsItsToken() {
        ApiToken token = token("session-owner");
        byte[] hash = Secrets.hash("chorus-session_one-" + System.nanoTime());
        byte[] tokenHash = Secrets.hash("the token");
        Session made = sessions.create(hash, token.id(), tokenHash, T0);
        assertThat(made.tokenId()).isEqualTo(token.id());
        assertThat(made.createdAt()).isEqualTo(T0);
        assertThat(made.lastSeenAt()).isEqualTo(T0);
        assertThat(sessions.findByHash(hash)).get().satisfies(s -> {
            assertThat(s.id()).isEqualTo(made.id());
            assertThat(s.tokenHash()).isEqualTo(tokenHash);
        });
        assertThat(sessions.find(made.id())).get().extracting(Session::tokenId).isEqualTo(token.id());
        assertThat(sessions.findByHash(Secrets.hash("another id"))).isEmpty();
    }

    @Test
    void aSessionOfAConfiguredTokenHasNoTokenId() {
        Session made = sessions.create(Secrets.hash("configured-" + System.nanoTime()), null, Secrets.hash("admin"), T0);
        assertThat(sessions.find(made.id())).get().extracting(Session::tokenId).isNull();
    }

    @Test
    void aHashBelongsToOneSession() {
        byte[] hash = Secrets.hash("twice-" + System.nanoTime());
        sessions.create(hash, null, Secrets.hash("a"), T0);
        assertThatThrownBy(() -> sessions.create(hash, null, Secrets.hash("b"), T0)).isInstanceOf(StoreException.class);
    }

    @Test
    void aUseIsRecordedAtMostOncePerWindow() {
        Session made = sessions.create(Secrets.hash("busy-" + System.nanoTime()), null, Secrets.hash("a"), T0);
        sessions.seen(made.id(), T0.plusSeconds(30), T0.minusSeconds(30)); // seen at T0, within the minute: kept
        assertThat(sessions.find(made.id()).orElseThrow().lastSeenAt()).isEqualTo(T0);
        sessions.seen(made.id(), T0.plusSeconds(70), T0.plusSeconds(10));
        assertThat(sessions.find(made.id()).orElseThrow().lastSeenAt()).isEqualTo(T0.plusSeconds(70));
    }

    @Test
    void endingHappensOnceAndATokensSessionsEndTogether() {
        ApiToken token = token("many-sessions");
        Session one = sessions.create(Secrets.hash("one-" + System.nanoTime()), token.id(), Secrets.hash("t"), T0);
        Session two = sessions.create(Secrets.hash("two-" + System.nanoTime()), token.id(), Secrets.hash("t"), T0);
        Session other = sessions.create(Secrets.hash("other-" + System.nanoTime()), token("other").id(),
                Secrets.hash("u"), T0);
        assertThat(sessions.end(one.id())).isTrue();
        assertThat(sessions.end(one.id())).isFalse();
        assertThat(sessions.endAllOf(token.id())).isEqualTo(1);
        assertThat(sessions.find(two.id())).isEmpty();
        assertThat(sessions.find(other.id())).isPresent();
    }

    @Test
    void expiredSessionsArePurgedByIdleOrAge() {
        Instant t = T0.plusSeconds(86_400);
        Session idle = sessions.create(Secrets.hash("idle-" + System.nanoTime()), null, Secrets.hash("a"), t);
        Session old = sessions.create(Secrets.hash("old-" + System.nanoTime()), null, Secrets.hash("a"), t.minusSeconds(500));
        sessions.seen(old.id(), t.plusSeconds(300), t.plusSeconds(300));
        Session fresh = sessions.create(Secrets.hash("fresh-" + System.nanoTime()), null, Secrets.hash("a"),
                t.plusSeconds(300));
        // idle: last seen before t+100; old: created before t-100
        assertThat(sessions.purge(t.plusSeconds(100), t.minusSeconds(100))).isGreaterThanOrEqualTo(2);
        assertThat(sessions.find(idle.id())).isEmpty();
        assertThat(sessions.find(old.id())).isEmpty();
        assertThat(sessions.find(fresh.id())).isPresent();
    }
}
