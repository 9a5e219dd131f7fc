package dev.chorus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.access.ApiToken;
import dev.chorus.access.Role;
import dev.chorus.access.Secrets;
import dev.chorus.access.TokenStore;
import dev.chorus.error.StoreException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The {@link TokenStore} contract, against the real PostgreSQL. */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class TokenStoreContractTest {

    static final Instant T0 = Instant.parse("2031-02-01T00:00:00Z");

    @Inject
    TokenStore tokens;

    @Test
    void aTokenIsFoundByItsHashOnlyAndKeepsItsRole() {
        String secret = Secrets.newToken();
        ApiToken made = tokens.create("alice", Role.OPERATOR, Secrets.hash(secret), secret.substring(0, 13), "admin", T0);
        assertThat(made.active()).isTrue();
        assertThat(made.lastUsedAt()).isNull();
        assertThat(tokens.findByHash(Secrets.hash(secret))).get().satisfies(t -> {
            assertThat(t.id()).isEqualTo(made.id());
            assertThat(t.role()).isEqualTo(Role.OPERATOR);
            assertThat(t.name()).isEqualTo("alice");
            assertThat(t.createdBy()).isEqualTo("admin");
            assertThat(t.createdAt()).isEqualTo(T0);
            assertThat(t.prefix()).isEqualTo(secret.substring(0, 13));
        });
        assertThat(tokens.findByHash(Secrets.hash(secret + "x"))).isEmpty();
        assertThat(tokens.list()).extracting(ApiToken::id).contains(made.id());
    }

    @Test
    void aHashBelongsToOneToken() {
        byte[] hash = Secrets.hash(Secrets.newToken());
        tokens.create("one", Role.VIEWER, hash, "chorus_aaaaaa", "admin", T0);
        assertThatThrownBy(() -> tokens.create("two", Role.ADMIN, hash, "chorus_aaaaaa", "admin", T0))
                .isInstanceOf(StoreException.class);
    }

    @Test
    void revokingHappensOnceAndKeepsTheTokenListed() {
        String secret = Secrets.newToken();
        ApiToken made = tokens.create("ci", Role.WORKER, Secrets.hash(secret), "chorus_bbbbbb", "admin", T0);
        assertThat(tokens.revoke(made.id(), T0.plusSeconds(5))).isTrue();
        assertThat(tokens.revoke(made.id(), T0.plusSeconds(9))).isFalse();
        assertThat(tokens.find(made.id())).get().satisfies(t -> {
            assertThat(t.active()).isFalse();
            assertThat(t.revokedAt()).isEqualTo(T0.plusSeconds(5));
        });
        assertThat(tokens.findByHash(Secrets.hash(secret))).get().extracting(ApiToken::active).isEqualTo(false);
        assertThat(tokens.revoke(Long.MAX_VALUE, T0)).isFalse();
    }

    @Test
    void aUseIsRecordedAtMostOncePerWindow() {
        ApiToken made = tokens.create("busy", Role.VIEWER, Secrets.hash(Secrets.newToken()), "chorus_cccccc", "admin", T0);
        tokens.used(made.id(), T0.plusSeconds(10), T0.minusSeconds(50));
        tokens.used(made.id(), T0.plusSeconds(20), T0.minusSeconds(40)); // within the minute: kept
        assertThat(tokens.find(made.id()).orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(10));
        tokens.used(made.id(), T0.plusSeconds(80), T0.plusSeconds(20)); // a minute later: recorded
        assertThat(tokens.find(made.id()).orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(80));
    }
}
