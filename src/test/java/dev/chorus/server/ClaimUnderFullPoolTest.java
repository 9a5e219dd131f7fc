package dev.chorus.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.coordinator.Coordinator;
import dev.chorus.dispatch.TrialProtocol;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A long-polling claim that finds every pooled connection in use keeps waiting within its poll rather than
 * answering 503 at the pool's first acquisition timeout (issue 18: 200 workers on a pool of 16 saw a few
 * 503s); against the real PostgreSQL and Agroal pool.
 */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class ClaimUnderFullPoolTest {

    @Inject
    StudyService studies;
    @Inject
    StudyStore store;
    @Inject
    Coordinator coordinator;
    @Inject
    TrialService protocol;
    @Inject
    AgroalDataSource db;
    @ConfigProperty(name = "quarkus.datasource.jdbc.max-size")
    int poolSize;
    @ConfigProperty(name = "quarkus.datasource.jdbc.acquisition-timeout", defaultValue = "5S")
    Duration acquisitionTimeout;

    @Test
    void aClaimWaitsOutAFullPoolWithinItsPoll() throws Exception {
        TestStudies.pauseEveryRunningStudy(store);
        long id = studies.start(studies.create(TestStudies.tinyYaml(), Path.of(".")).id()).id();
        try {
            coordinator.tick();
            List<Connection> held = new ArrayList<>();
            CompletableFuture<Optional<TrialProtocol.Assignment>> claim = new CompletableFuture<>();
            Thread claimer;
            try {
                for (int i = 0; i < poolSize; i++) {
                    held.add(db.getConnection());
                }
                Duration poll = acquisitionTimeout.multipliedBy(4);
                claimer = Thread.ofPlatform().start(() -> {
                    try {
                        claim.complete(protocol.claim("full-pool", poll)); // any study: a study-scoped claim reads it first
                    } catch (Throwable t) {
                        claim.completeExceptionally(t);
                    }
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (claimer.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
                    Thread.onSpinWait(); // until its first attempt waits for a connection
                }
                assertThat(claimer.getState()).as("the claim waits for a connection").isEqualTo(Thread.State.TIMED_WAITING);
                // past the first attempt's acquisition timeout: before the change that attempt answered 503 here
                Thread.sleep(acquisitionTimeout.plusSeconds(1).toMillis());
                assertThat(claim).as("still waiting within its poll").isNotDone();
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
            Optional<TrialProtocol.Assignment> got = claim.get(acquisitionTimeout.multipliedBy(4).toSeconds() + 30,
                    TimeUnit.SECONDS);
            claimer.join();
            assertThat(got).as("a trial once connections came free").isPresent();
            assertThat(got.get().studyId()).isEqualTo(id);
        } finally {
            store.transition(id, StudyState.RUNNING, StudyState.CANCELLED, null, Instant.now());
        }
    }

    /** The same over REST, where a claim's first try runs on a worker thread and its wait on a virtual thread. */
    @Test
    void aClaimOverRestWaitsOutAFullPoolWithinItsPoll() throws Exception {
        TestStudies.pauseEveryRunningStudy(store);
        long id = studies.start(studies.create(TestStudies.tinyYaml(), Path.of(".")).id()).id();
        try {
            coordinator.tick();
            List<Connection> held = new ArrayList<>();
            CompletableFuture<io.restassured.response.Response> claim;
            try {
                for (int i = 0; i < poolSize; i++) {
                    held.add(db.getConnection());
                }
                long poll = acquisitionTimeout.multipliedBy(4).toSeconds();
                claim = CompletableFuture.supplyAsync(() -> io.restassured.RestAssured.given()
                        .contentType(io.restassured.http.ContentType.JSON)
                        .body(java.util.Map.of("worker", "full-pool-rest", "waitSeconds", poll))
                        .post("/api/workers/claim"));
                // past the first try's acquisition timeout: a claim that answered 503 then would be done here
                Thread.sleep(acquisitionTimeout.plusSeconds(2).toMillis());
                assertThat(claim).as("still waiting within its poll").isNotDone();
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
            io.restassured.response.Response got = claim.get(acquisitionTimeout.multipliedBy(4).toSeconds() + 30,
                    TimeUnit.SECONDS);
            assertThat(got.statusCode()).as("a trial once connections came free: %s", got.asString()).isEqualTo(200);
            assertThat(got.jsonPath().getLong("studyId")).isEqualTo(id);
        } finally {
            store.transition(id, StudyState.RUNNING, StudyState.CANCELLED, null, Instant.now());
        }
    }
}
