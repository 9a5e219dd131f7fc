package dev.chorus.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.dispatch.Worker;
import dev.chorus.coordinator.Coordinator;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyStore;
import dev.chorus.server.TrialService;
import dev.chorus.worker.TrialTraining;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an operator watches: health (liveness; readiness with the database and the search loop) and
 * Prometheus metrics of the queue, trial outcomes and study progress, on the management port only.
 * The coordinator is ticked by hand.
 */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class OperationsTest {

    @Inject
    StudyService studies;
    @Inject
    StudyStore store;
    @Inject
    Coordinator coordinator;
    @Inject
    TrialService protocol;
    /** The management interface's root: health, metrics, OpenAPI and Swagger UI live under its /q/. */
    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Test
    void healthMetricsAndApiDocsAnswerOnTheManagementPortOnly() {
        assertThat(management.getPort()).as("a port of its own").isNotEqualTo(io.restassured.RestAssured.port);
        for (String path : List.of("/q/health", "/q/health/live", "/q/health/ready", "/q/metrics", "/q/openapi",
                "/q/swagger-ui/")) {
            given().get(path).then().statusCode(404);
            given().get(management.resolve(path)).then().statusCode(200);
        }
    }

    @Test
    void pagesAndAnswersCarrySecurityHeadersButSwaggerUiKeepsItsScripts() {
        for (String path : List.of("/", "/new", "/api/studies")) {
            given().get(path).then().statusCode(200)
                    .header("Content-Security-Policy", org.hamcrest.Matchers.containsString("script-src 'self'"))
                    .header("X-Content-Type-Options", "nosniff").header("X-Frame-Options", "DENY")
                    .header("Referrer-Policy", "same-origin");
        }
        given().get(management.resolve("/q/swagger-ui/")).then().statusCode(200)
                .header("Content-Security-Policy", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void readinessCoversTheDatabaseAndTheSearchLoop() {
        given().get(management.resolve("/q/health/live")).then().statusCode(200);
        JsonPath ready = given().get(management.resolve("/q/health/ready")).then().statusCode(200).extract().jsonPath();
        List<String> checks = ready.getList("checks.name");
        assertThat(checks).contains("coordinator").anyMatch(n -> n.toLowerCase().contains("database"));
        assertThat(ready.getList("checks.status")).containsOnly("UP");
    }

    @Test
    void prometheusMetricsShowTheQueueOutcomesAndStudyProgress() {
        TestStudies.pauseEveryRunningStudy(store);
        long id = studies.start(studies.create(TestStudies.tinyYaml(), Path.of(".")).id()).id();
        coordinator.tick(); // queues generation 0
        coordinator.tick(); // the snapshot now sees it
        String before = metrics();
        assertThat(before).contains("chorus_trials_waiting 4.0", "chorus_study_trial_budget{name=\"tiny\",study=\"" + id + "\"} 8.0",
                "chorus_study_trials_finished{name=\"tiny\",study=\"" + id + "\"} 0.0");
        Worker worker = new Worker(protocol, new TrialTraining(), "metrics-test");
        worker.runOne(protocol.claim("metrics-test", Duration.ZERO).orElseThrow());
        worker.close();
        coordinator.tick();
        String after = metrics();
        assertThat(after).contains("chorus_trials_waiting 3.0", "chorus_study_trials_finished{name=\"tiny\",study=\"" + id + "\"} 1.0",
                "chorus_trials_finished_total{outcome=\"complete\"}", "chorus_trial_duration_seconds_count{outcome=\"complete\"}",
                "chorus_study_best_delta_m{name=\"tiny\",study=\"" + id + "\"}");
        studies.cancel(id);
    }

    private String metrics() {
        return given().get(management.resolve("/q/metrics")).then().statusCode(200).extract().asString();
    }
}
