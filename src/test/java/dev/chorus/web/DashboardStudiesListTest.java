package dev.chorus.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.coordinator.Coordinator;
import dev.chorus.dispatch.TrialProtocol;
import dev.chorus.report.FrontAnalysis;
import dev.chorus.server.HypervolumeWriter;
import dev.chorus.server.TrialService;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The studies list's data a page at a time, and a study's row following its trials although its
 * hypervolume share and recommendation are cached: they are read again when the counts or the front move.
 */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class DashboardStudiesListTest {

    @Inject
    StudyService studies;
    @Inject
    StudyStore store;
    @Inject
    Coordinator coordinator;
    @Inject
    TrialService protocol;
    @Inject
    HypervolumeWriter writer;
    @Inject
    FrontAnalysis analysis;

    private long create() {
        return studies.create(TestStudies.tinyYaml(), Path.of(".")).id();
    }

    @Test
    void pagesGoNewestFirstByKeysetWithTheTotalInAHeader() {
        long a = create();
        long b = create();
        long c = create();
        String total = Integer.toString(studies.count());
        given().queryParam("size", 2).get("/api/dashboard/studies").then().statusCode(200)
                .header("X-Total-Count", total).body("study.id", contains((int) c, (int) b));
        given().queryParam("size", 2).queryParam("after", c).get("/api/dashboard/studies").then().statusCode(200)
                .header("X-Total-Count", total).body("study.id", contains((int) b, (int) a));
        given().queryParam("after", 1).get("/api/dashboard/studies").then().statusCode(200)
                .body("size()", equalTo(0));
        given().get("/api/dashboard/studies").then().statusCode(200)
                .body("size()", equalTo(Math.min(studies.count(), DashboardResource.STUDIES)));
        given().queryParam("size", 0).get("/api/dashboard/studies").then().statusCode(400)
                .body("error", containsString("size must be between 1 and 200 (a whole number), was '0'"));
        given().queryParam("size", "all").get("/api/dashboard/studies").then().statusCode(400)
                .body("error", containsString("size must be between 1 and 200"));
        given().queryParam("after", -3).get("/api/dashboard/studies").then().statusCode(400)
                .body("error", containsString("after must be 1 or more (a whole number), was '-3'"));
    }

    @Test
    void aRowFollowsCompletionsAndTheStudysStateThoughItsResultsAreCached() throws Exception {
        TestStudies.pauseEveryRunningStudy(store);
        String yaml = TestStudies.tinyYaml().replace("sampler: nsga2", "sampler: random")
                .replace("  population: 4\n", "  population: 4\n  schedule: steady-state\n  concurrency: 8\n");
        long id = studies.start(studies.create(yaml, Path.of(".")).id()).id();
        try {
            JsonPath row = row(id);
            assertThat(row.getInt("[0].trials.complete")).isZero();
            assertThat(row.getString("[0].recommendedModels")).isNull();
            coordinator.tick();
            int i = 0;
            for (TrialProtocol.Assignment a; (a = protocol.claim("list", Duration.ZERO, id).orElse(null)) != null; i++) {
                protocol.complete(a.trialId(), a.claim(), TestStudies.completion(a, i));
                assertThat(protocol.awaitFronts(Duration.ofSeconds(60))).isTrue(); // the front takes it after
                assertThat(writer.awaitIdle(Duration.ofSeconds(60))).isTrue();
                row = row(id);
                assertThat(row.getInt("[0].trials.complete")).as("complete after %d completions", i + 1)
                        .isEqualTo(i + 1);
                // the row's figures are what a fresh computation gives, after every completion
                assertThat(row.getInt("[0].recommendedModels")).as("models after %d completions", i + 1)
                        .isEqualTo(analysis.recommendation(id).fewestModels().models());
                assertThat(row.getDouble("[0].hypervolumeShare")).as("share after %d completions", i + 1)
                        .isCloseTo(analysis.hypervolume(id).history().getLast().share(), within(1e-6));
            }
            assertThat(i).as("trials completed").isGreaterThan(1);
            given().post("/api/studies/{id}/cancel", id).then().statusCode(200);
            assertThat(row(id).getString("[0].study.state")).isEqualTo("cancelled");
            assertThat(row(id).getList("[0].actions")).isEmpty();
        } finally {
            store.transition(id, StudyState.RUNNING, StudyState.CANCELLED, null, Instant.now());
        }
    }

    /** The page of one study that starts with study {@code id}: its row is {@code [0]}. */
    private static JsonPath row(long id) {
        JsonPath page = given().queryParam("size", 1).queryParam("after", id + 1).get("/api/dashboard/studies").then()
                .statusCode(200).extract().jsonPath();
        assertThat(page.getLong("[0].study.id")).isEqualTo(id);
        return page;
    }
}
