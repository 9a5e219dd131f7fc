package dev.chorus.dispatch;

import static dev.chorus.dispatch.TrialProtocolTest.key;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.coordinator.Coordinator;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, "Worker results": what a worker reports is checked before it is stored. Values lie in their
 * metric's range, each result names a task of the assignment once, baselines come only under the keys the
 * coordinator computed for the assignment, and a stored baseline is never replaced by other values.
 */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class WorkerResultsTest {

    @Inject
    StudyService studies;
    @Inject
    StudyStore store;
    @Inject
    Coordinator coordinator;

    @BeforeEach
    void onlyThisTestsStudies() {
        TestStudies.pauseEveryRunningStudy(store);
    }

    private long startTiny() {
        long id = studies.start(studies.create(TestStudies.tinyYaml(), Path.of(".")).id()).id();
        coordinator.tick();
        return id;
    }

    private static JsonPath claim() {
        return given().contentType(ContentType.JSON).body(Map.of("worker", "results-test", "waitSeconds", 0))
                .post("/api/workers/claim").then().statusCode(200).extract().jsonPath();
    }

    /** A completion of {@code a}'s trial: tasks a1 (auc), a2 (rmse), c1 (accuracy), values by task. */
    private static Map<String, Object> completion(JsonPath a, Map<String, Double> values, List<Map<String, Object>> baselines) {
        List<Map<String, Object>> results = new ArrayList<>();
        values.forEach((task, v) -> results.add(result(task, v, key(a, task))));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("claim", a.getString("claim"));
        body.put("results", results);
        body.put("baselines", baselines);
        return body;
    }

    private static Map<String, Object> result(String task, double value, String hash) {
        return Map.of("task", task, "validation", value, "test", value, "baselineHash", hash);
    }

    private static Map<String, Object> baseline(String hash, String task, double value, double seconds) {
        return Map.of("hash", hash, "task", task, "validation", value, "test", value, "trainSeconds", seconds);
    }

    private static List<Map<String, Object>> baselines(JsonPath a, double a1, double a2, double c1) {
        return List.of(baseline(key(a, "a1"), "a1", a1, 1), baseline(key(a, "a2"), "a2", a2, 1),
                baseline(key(a, "c1"), "c1", c1, 1));
    }

    private static Map<String, Double> values(double a1, double a2, double c1) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("a1", a1);
        values.put("a2", a2);
        values.put("c1", c1);
        return values;
    }

    private static ValidatableResponse complete(JsonPath a, Object body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/trials/{id}/complete", a.getLong("trialId"))
                .then();
    }

    @Test
    void valuesOutsideTheirMetricsRangeAreRefusedNamingFieldTaskValueAndRange() {
        long study = startTiny();
        JsonPath a = claim();
        complete(a, completion(a, values(1e308, -0.5, 0.7), baselines(a, -1e308, 0.5, 1.5))).statusCode(400)
                .body("problems", hasItems(
                        "results[0].validation: task a1's auc must be a finite number in [0, 1], was 1.0E308",
                        "results[0].test: task a1's auc must be a finite number in [0, 1], was 1.0E308",
                        "results[1].validation: task a2's rmse must be a finite number >= 0, was -0.5",
                        "baselines[0].validation: task a1's auc must be a finite number in [0, 1], was -1.0E308",
                        "baselines[2].test: task c1's accuracy must be a finite number in [0, 1], was 1.5"));
        List<Map<String, Object>> slow = List.of(baseline(key(a, "a1"), "a1", 0.7, -3),
                baseline(key(a, "a2"), "a2", 0.5, 1), baseline(key(a, "c1"), "c1", 0.7, 1));
        complete(a, completion(a, values(0.8, 0.5, 0.7), slow)).statusCode(400).body("problems", hasItem(
                "baselines[0].trainSeconds: how long task a1's baseline trained, a finite number >= 0, was -3.0"));
        given().contentType(ContentType.JSON)
                .body(Map.of("claim", a.getString("claim"), "step", 0, "values", Map.of("c1", 1.5)))
                .post("/api/trials/{id}/intermediate", a.getLong("trialId")).then().statusCode(400)
                .body("problems", hasItem("values.c1: task c1's accuracy must be a finite number in [0, 1], was 1.5"));

        // in range, but an RMSE of 1e308 against a baseline of 1e-300 is no number of percent: refused, not stored
        complete(a, completion(a, values(0.8, 1e308, 0.7), baselines(a, 0.7, 1e-300, 0.7))).statusCode(400)
                .body("problems", hasItem(containsString("task a2's rmse on validation, 1.0E308, against its "
                        + "baseline's 1.0E-300 is a relative change too large to be a number")));
        given().get("/api/baselines/{hash}", key(a, "a2")).then().statusCode(404);
        given().get("/api/trials/{id}", a.getLong("trialId")).then().body("state", is("running"));
        store.transition(study, StudyState.RUNNING, StudyState.CANCELLED, null, Instant.now());
    }

    @Test
    void eachResultNamesATaskOfTheAssignmentOnce() {
        long study = startTiny();
        JsonPath a = claim();
        List<Map<String, Object>> b = baselines(a, 0.7, 0.5, 0.7);
        Map<String, Object> missing = completion(a, values(0.8, 0.5, 0.7), b);
        missing.put("results", List.of(result("a1", 0.8, key(a, "a1")), result("a2", 0.5, key(a, "a2"))));
        complete(a, missing).statusCode(400).body("problems", hasItem("results: task c1 must appear exactly once, "
                + "found 0 times"));
        Map<String, Object> extra = completion(a, values(0.8, 0.5, 0.7), b);
        List<Object> more = new ArrayList<>((List<?>) extra.get("results"));
        more.add(result("zz", 0.5, key(a, "a1")));
        extra.put("results", more);
        complete(a, extra).statusCode(400).body("problems", hasItem("results[3].task: one of [a1, a2, c1] (a result "
                + "for each task of the study), was 'zz'"));
        Map<String, Object> twice = completion(a, values(0.8, 0.5, 0.7), b);
        twice.put("results", List.of(result("a1", 0.8, key(a, "a1")), result("a1", 0.8, key(a, "a1")),
                result("a2", 0.5, key(a, "a2")), result("c1", 0.7, key(a, "c1"))));
        complete(a, twice).statusCode(400).body("problems", hasItem("results: task a1 must appear exactly once, "
                + "found 2 times"));
        store.transition(study, StudyState.RUNNING, StudyState.CANCELLED, null, Instant.now());
    }

    @Test
    void onlyTheKeysOfTheAssignmentAreAccepted() {
        long first = startTiny();
        JsonPath a = claim();
        assertThat(List.of(key(a, "a1"), key(a, "a2"), key(a, "c1"))).doesNotContainNull().doesNotHaveDuplicates();

        // another task's key, a key of one's own, a baseline planted under another task's key
        Map<String, Object> swapped = completion(a, values(0.8, 0.5, 0.7), baselines(a, 0.7, 0.5, 0.7));
        swapped.put("results", List.of(result("a1", 0.8, key(a, "a2")), result("a2", 0.5, key(a, "a2")),
                result("c1", 0.7, "mine")));
        swapped.put("baselines", List.of(baseline(key(a, "c1"), "a1", 0.7, 1), baseline("mine", "c1", 0.7, 1)));
        complete(a, swapped).statusCode(400).body("problems", hasItems(
                "results[0].baselineHash: task a1's baseline key for this trial is " + key(a, "a1")
                        + " (the assignment's tasks[].baselineHash), was '" + key(a, "a2") + "'",
                "results[2].baselineHash: task c1's baseline key for this trial is " + key(a, "c1")
                        + " (the assignment's tasks[].baselineHash), was 'mine'",
                "baselines[0].hash: task a1's baseline key for this trial is " + key(a, "a1")
                        + " (the assignment's tasks[].baselineHash), was '" + key(a, "c1")
                        + "'; a baseline is accepted only under its key",
                "baselines[1].hash: task c1's baseline key for this trial is " + key(a, "c1")
                        + " (the assignment's tasks[].baselineHash), was 'mine'; a baseline is accepted only under its key"));
        given().get("/api/baselines/{hash}", "mine").then().statusCode(404);
        complete(a, completion(a, values(0.8, 0.5, 0.7), baselines(a, 0.7, 0.5, 0.7))).statusCode(200)
                .body("state", is("complete"));
        store.transition(first, StudyState.RUNNING, StudyState.CANCELLED, null, Instant.now());

        // a second study on the same data and seed: its own keys, and the first study's are refused
        long second = startTiny();
        JsonPath b = claim();
        assertThat(b.getLong("studyId")).isEqualTo(second);
        assertThat(key(b, "a1")).isNotEqualTo(key(a, "a1"));
        Map<String, Object> borrowed = completion(b, values(0.8, 0.5, 0.7), List.of());
        borrowed.put("results", List.of(result("a1", 0.8, key(a, "a1")), result("a2", 0.5, key(a, "a2")),
                result("c1", 0.7, key(a, "c1"))));
        complete(b, borrowed).statusCode(400).body("problems", hasItem(
                "results[0].baselineHash: task a1's baseline key for this trial is " + key(b, "a1")
                        + " (the assignment's tasks[].baselineHash), was '" + key(a, "a1") + "'"));
        store.transition(second, StudyState.RUNNING, StudyState.CANCELLED, null, Instant.now());
    }

    @Test
    void aStoredBaselineIsNeverReplacedAndOtherValuesAreRefusedAndLogged() {
        long study = startTiny();
        JsonPath first = claim();
        complete(first, completion(first, values(0.8, 0.5, 0.7), baselines(first, 0.7, 0.5, 0.7))).statusCode(200);
        JsonPath second = claim();
        assertThat(key(second, "a1")).as("replicate 0 of one study: the same baselines").isEqualTo(key(first, "a1"));

        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r instanceof ExtLogRecord e ? e.getFormattedMessage() : r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger recorder = Logger.getLogger("dev.chorus.server.TrialRecorder");
        recorder.addHandler(capture);
        try {
            complete(second, completion(second, values(0.9, 0.4, 0.8), baselines(second, 0.99, 0.5, 0.7)))
                    .statusCode(409).body("error", containsString("baseline " + key(first, "a1") + " of task a1 is "
                            + "stored with auc 0.7 on validation and 0.7 on test; this trial sent 0.99 and 0.99"));
        } finally {
            recorder.removeHandler(capture);
        }
        assertThat(logged.stream().filter(l -> l.contains("refused"))).singleElement().satisfies(line -> {
            assertThat(line).contains(key(first, "a1"), "task a1", "0.99", "0.7", "worker results-test")
                    .doesNotContain("\n");
        });
        given().get("/api/baselines/{hash}", key(first, "a1")).then().statusCode(200).body("validation", is(0.7f));
        given().get("/api/trials/{id}", second.getLong("trialId")).then().body("state", is("running"));

        // the same values again are fine: two workers that trained one baseline at once
        complete(second, completion(second, values(0.9, 0.4, 0.8), baselines(second, 0.7, 0.5, 0.7))).statusCode(200)
                .body("state", is("complete"));
        store.transition(study, StudyState.RUNNING, StudyState.CANCELLED, null, Instant.now());
    }
}
