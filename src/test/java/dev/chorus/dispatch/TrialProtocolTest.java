package dev.chorus.dispatch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.coordinator.Coordinator;
import dev.chorus.error.UserText;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import dev.chorus.trial.ClaimStore;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import dev.chorus.worker.TrialTraining;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The trial protocol over REST, as a remote worker or an external trainer speaks it. */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class TrialProtocolTest {

    @Inject
    StudyService studies;
    @Inject
    StudyStore store;
    @Inject
    Coordinator coordinator;
    @Inject
    ClaimStore claims;
    @Inject
    TrialStore trials;
    @TestHTTPResource("/")
    URI base;
    @TestHTTPResource(value = "/", management = true)
    URI management;

    @BeforeEach
    void onlyThisTestsStudies() {
        TestStudies.pauseEveryRunningStudy(store);
    }

    private long startTiny() {
        long id = studies.start(studies.create(TestStudies.tinyYaml(), Path.of(".")).id()).id();
        coordinator.tick();
        return id;
    }

    private static JsonPath claim(int expectedStatus) {
        return given().contentType(ContentType.JSON).body(Map.of("worker", "curl", "waitSeconds", 0))
                .post("/api/workers/claim").then().statusCode(expectedStatus).extract().jsonPath();
    }

    @Test
    void claimAnswers204WhenNothingWaitsAndExplainsBadRequests() {
        claim(204);
        given().contentType(ContentType.JSON).body(Map.of("worker", "w", "waitSeconds", 99)).post("/api/workers/claim")
                .then().statusCode(400).body("error", containsString("waitSeconds must be between 0 and 60"));
        given().contentType(ContentType.JSON).body(Map.of("waitSeconds", 0)).post("/api/workers/claim")
                .then().statusCode(400).body("problems", hasItem(containsString("worker: give the worker a name")));
        given().contentType(ContentType.JSON).body("{\"worker\": ").post("/api/workers/claim").then().statusCode(400);
    }

    @Test
    void aClaimedTrialGoesThroughTheProtocolAndCompletionIsIdempotent() {
        long study = startTiny();
        JsonPath a = claim(200);
        long trial = a.getLong("trialId");
        String claim = a.getString("claim");
        assertThat(a.getLong("studyId")).isEqualTo(study);
        assertThat(a.getList("tasks.name")).containsExactly("a1", "a2", "c1");
        assertThat(a.<List<String>>getList("models").stream().flatMap(List::stream).toList())
                .containsExactlyInAnyOrder("a1", "a2", "c1");
        assertThat(a.getString("specYaml")).contains("name: tiny");
        assertThat(a.getString("dataHash")).isNotBlank();
        assertThat(a.getInt("heartbeatSeconds")).isEqualTo(10);
        Instant firstLease = Instant.parse(a.getString("leaseUntil"));
        assertThat(Duration.between(Instant.now(), firstLease)).as("three heartbeats: a vanished worker's trial "
                + "comes back soon").isBetween(Duration.ofSeconds(20), Duration.ofSeconds(30));

        Instant renewed = Instant.parse(given().contentType(ContentType.JSON).body(Map.of("claim", claim))
                .post("/api/trials/{id}/heartbeat", trial).then().statusCode(200).extract().jsonPath().getString("until"));
        assertThat(Duration.between(Instant.now(), renewed)).as("the full lease after a heartbeat")
                .isBetween(Duration.ofSeconds(50), Duration.ofSeconds(60));
        given().contentType(ContentType.JSON).body(Map.of("claim", claim, "step", 0, "values", Map.of("a1", 0.61)))
                .post("/api/trials/{id}/intermediate", trial).then().statusCode(200).body("prune", org.hamcrest.Matchers.is(false));
        given().contentType(ContentType.JSON).body(Map.of("claim", claim, "step", 0, "values", Map.of("nope", 1)))
                .post("/api/trials/{id}/intermediate", trial).then().statusCode(400)
                .body("problems", hasItem(containsString("values.nope")));
        given().contentType(ContentType.JSON).body(Map.of("step", 0, "values", Map.of("a1", 1)))
                .post("/api/trials/{id}/intermediate", trial).then().statusCode(400).body("error", containsString("claim is missing"));

        // the assignment gives each task's baseline key; the coordinator accepts no other
        Map<String, String> h = Map.of("a1", key(a, "a1"), "a2", key(a, "a2"), "c1", key(a, "c1"));
        assertThat(h.values()).doesNotContainNull().doesNotHaveDuplicates();
        given().contentType(ContentType.JSON).body(Map.of("claim", claim, "results",
                List.of(Map.of("task", "a1", "value", 0.8, "baselineHash", h.get("a1"))))).post("/api/trials/{id}/complete", trial)
                .then().statusCode(400).body("problems", hasItem(containsString("unknown field 'value'")))
                .body("problems", hasItem(containsString("test, validation")));
        given().contentType(ContentType.JSON).body(Map.of("claim", claim, "results",
                List.of(Map.of("task", "a1", "validation", 0.8, "baselineHash", h.get("a1"))))).post("/api/trials/{id}/complete", trial)
                .then().statusCode(400).body("problems", hasItem(containsString(
                        "results[0].test: task a1's auc, a finite number in [0, 1], is missing")));
        Map<String, Object> incomplete = Map.of("claim", claim, "results",
                List.of(Map.of("task", "a1", "validation", 0.8, "test", 0.8, "baselineHash", h.get("a1"))));
        given().contentType(ContentType.JSON).body(incomplete).post("/api/trials/{id}/complete", trial).then().statusCode(400)
                .body("problems", hasItem(containsString("task a2 must appear exactly once")))
                .body("problems", hasItem(containsString("no baseline " + h.get("a1") + " is stored")));

        Map<String, Object> complete = Map.of("claim", claim,
                "results", List.of(Map.of("task", "a1", "validation", 0.8, "test", 0.78, "baselineHash", h.get("a1")),
                        Map.of("task", "a2", "validation", 0.5, "test", 0.5, "baselineHash", h.get("a2")),
                        Map.of("task", "c1", "validation", 0.7, "test", 0.7, "baselineHash", h.get("c1"))),
                "baselines", List.of(Map.of("hash", h.get("a1"), "task", "a1", "validation", 0.75, "test", 0.8, "trainSeconds", 1.5),
                        Map.of("hash", h.get("a2"), "task", "a2", "validation", 0.5, "test", 0.5, "trainSeconds", 1.5),
                        Map.of("hash", h.get("c1"), "task", "c1", "validation", 0.7, "test", 0.7, "trainSeconds", 1.5)));
        JsonPath done = given().contentType(ContentType.JSON).body(complete).post("/api/trials/{id}/complete", trial)
                .then().statusCode(200).extract().jsonPath();
        assertThat(done.getString("state")).isEqualTo("complete");
        assertThat(done.getDouble("deltaM")).as("on validation: (6.67 + 0 + 0) / 3").isCloseTo(2.22, org.assertj.core.data.Offset.offset(0.01));
        assertThat(done.getDouble("testDeltaM")).as("on test: (-2.5 + 0 + 0) / 3").isCloseTo(-0.83, org.assertj.core.data.Offset.offset(0.01));
        assertThat(done.getDouble("results.find { it.task == 'a1' }.test.value")).isEqualTo(0.78);
        assertThat(done.getDouble("results.find { it.task == 'a1' }.validation.delta")).isCloseTo(6.67, org.assertj.core.data.Offset.offset(0.01));
        given().contentType(ContentType.JSON).body(complete).post("/api/trials/{id}/complete", trial)
                .then().statusCode(200).body("deltaM", org.hamcrest.Matchers.notNullValue());
        assertThat(given().get("/api/trials/{id}", trial).jsonPath().getList("results")).hasSize(3);
        given().contentType(ContentType.JSON).body(Map.of("claim", claim)).post("/api/trials/{id}/heartbeat", trial)
                .then().statusCode(409).body("error", containsString("does not hold trial"));
        given().get("/api/baselines/{hash}", h.get("a1")).then().statusCode(200).body("validation", org.hamcrest.Matchers.is(0.75f))
                .body("test", org.hamcrest.Matchers.is(0.8f));
        given().contentType(ContentType.JSON).body(Map.of("claim", "6d1f0c2e-0000-4000-8000-000000000000"))
                .post("/api/trials/{id}/prune", trial).then().statusCode(409);
        Map<String, Object> stranger = Map.of("claim", "6d1f0c2e-0000-4000-8000-000000000000",
                "results", List.of(Map.of("task", "a1", "validation", 0.8, "test", 0.8, "baselineHash", "x1"),
                        Map.of("task", "a2", "validation", 0.5, "test", 0.5, "baselineHash", h.get("a2")),
                        Map.of("task", "c1", "validation", 0.7, "test", 0.7, "baselineHash", h.get("c1"))),
                "baselines", List.of(Map.of("hash", "x1", "task", "a1", "validation", 0.1, "test", 0.1, "trainSeconds", 1)));
        given().contentType(ContentType.JSON).body(stranger).post("/api/trials/{id}/complete", trial).then().statusCode(409);
        // a claim without the trial plants no baseline
        given().get("/api/baselines/{hash}", "x1").then().statusCode(404);
        given().get("/api/studies/{id}/split", study).then().statusCode(200).body("dataHash", org.hamcrest.Matchers.is(a.getString("dataHash")));
        store.transition(study, StudyState.RUNNING, StudyState.CANCELLED, null, Instant.now());
    }

    /** The baseline key the assignment gives for {@code task}. */
    static String key(JsonPath assignment, String task) {
        return assignment.getString("tasks.find { it.name == '" + task + "' }.baselineHash");
    }

    /** A completion of the trial {@code assignment} names, every task at 0.6 and its baseline at 0.5. */
    private static Map<String, Object> completion(JsonPath assignment) {
        List<Map<String, Object>> results = new java.util.ArrayList<>();
        List<Map<String, Object>> baselines = new java.util.ArrayList<>();
        for (String task : List.of("a1", "a2", "c1")) {
            results.add(Map.of("task", task, "validation", 0.6, "test", 0.6, "baselineHash", key(assignment, task)));
            baselines.add(Map.of("hash", key(assignment, task), "task", task, "validation", 0.5, "test", 0.5,
                    "trainSeconds", 1));
        }
        return Map.of("claim", assignment.getString("claim"), "results", results, "baselines", baselines);
    }

    private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> more = new java.util.HashMap<>(body);
        more.put(key, value);
        return more;
    }

    @Test
    void completeAndClaimFinishesTheTrialAndHandsOverTheNextInOneCall() {
        long study = startTiny();
        JsonPath first = claim(200);
        long trial = first.getLong("trialId");
        Map<String, Object> done = completion(first);

        given().contentType(ContentType.JSON).body(done).post("/api/trials/{id}/complete-and-claim", trial)
                .then().statusCode(400).body("error", containsString("next is missing"));
        given().contentType(ContentType.JSON).body(with(done, "next", Map.of("worker", "curl", "waitSeconds", 99)))
                .post("/api/trials/{id}/complete-and-claim", trial)
                .then().statusCode(400).body("error", containsString("next.waitSeconds must be between 0 and 60"));
        given().contentType(ContentType.JSON).body(with(done, "next", Map.of("waitSeconds", 0)))
                .post("/api/trials/{id}/complete-and-claim", trial)
                .then().statusCode(400).body("problems", hasItem(containsString("worker: give the worker a name")));
        assertThat(trials.find(trial).orElseThrow().state()).as("a refused call stores nothing")
                .isEqualTo(TrialState.RUNNING);

        Map<String, Object> handOver = with(done, "next", Map.of("worker", "curl", "waitSeconds", 0));
        JsonPath answer = given().contentType(ContentType.JSON).body(handOver)
                .post("/api/trials/{id}/complete-and-claim", trial).then().statusCode(200).extract().jsonPath();
        assertThat(answer.getLong("completed")).isEqualTo(trial);
        assertThat(trials.find(trial).orElseThrow().state()).isEqualTo(TrialState.COMPLETE);
        long second = answer.getLong("next.trialId");
        assertThat(second).isNotEqualTo(trial);
        assertThat(answer.getLong("next.studyId")).isEqualTo(study);
        assertThat(answer.getList("next.tasks.name")).containsExactly("a1", "a2", "c1");
        given().contentType(ContentType.JSON).body(Map.of("claim", answer.getString("next.claim")))
                .post("/api/trials/{id}/heartbeat", second).then().statusCode(200);

        // the same call again, as after a lost answer: nothing completes twice, and another trial comes
        JsonPath again = given().contentType(ContentType.JSON).body(handOver)
                .post("/api/trials/{id}/complete-and-claim", trial).then().statusCode(200).extract().jsonPath();
        assertThat(again.getLong("next.trialId")).isNotIn(trial, second);
        assertThat(trials.find(trial).orElseThrow().attempts()).isEqualTo(1);

        // a stranger's completion is refused before anything is claimed
        JsonPath open = claim(200);
        given().contentType(ContentType.JSON).body(with(with(completion(open), "claim",
                        "6d1f0c2e-0000-4000-8000-000000000000"), "next", Map.of("worker", "curl", "waitSeconds", 0)))
                .post("/api/trials/{id}/complete-and-claim", open.getLong("trialId")).then().statusCode(409);
        claim(204); // the generation's four trials are all claimed: the refused call claimed none

        JsonPath last = given().contentType(ContentType.JSON).body(with(completion(open), "next",
                        Map.of("worker", "curl", "waitSeconds", 0)))
                .post("/api/trials/{id}/complete-and-claim", open.getLong("trialId")).then().statusCode(200)
                .extract().jsonPath();
        assertThat(last.getLong("completed")).isEqualTo(open.getLong("trialId"));
        assertThat(last.getMap("$")).as("no trial waits: next is null").containsEntry("next", null);
        assertThat(trials.find(open.getLong("trialId")).orElseThrow().state()).isEqualTo(TrialState.COMPLETE);
        store.transition(study, StudyState.RUNNING, StudyState.CANCELLED, null, Instant.now());
    }

    @Test
    void aHandOverWithAWaitLongPollsForTheNextTrial() throws Exception {
        long study = startTiny();
        List<JsonPath> generation = List.of(claim(200), claim(200), claim(200), claim(200));
        for (JsonPath a : generation.subList(0, 3)) {
            given().contentType(ContentType.JSON).body(completion(a)).post("/api/trials/{id}/complete", a.getLong("trialId"))
                    .then().statusCode(200);
        }
        JsonPath last = generation.get(3);
        java.util.concurrent.CompletableFuture<JsonPath> handOver = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> given().contentType(ContentType.JSON).body(with(completion(last), "next",
                                Map.of("worker", "curl", "waitSeconds", 30)))
                        .post("/api/trials/{id}/complete-and-claim", last.getLong("trialId")).then().statusCode(200)
                        .extract().jsonPath());
        // the next generation is proposed only once the last trial of this one is complete: the call waits for it
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (trials.find(last.getLong("trialId")).orElseThrow().state() != TrialState.COMPLETE
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(handOver).as("no trial waits yet: the call long-polls").isNotDone();
        coordinator.tick();
        JsonPath answer = handOver.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answer.getLong("completed")).isEqualTo(last.getLong("trialId"));
        Trial next = trials.find(answer.getLong("next.trialId")).orElseThrow();
        assertThat(next.generation()).as("a trial of the generation proposed while it waited").isEqualTo(1);
        assertThat(next.state()).isEqualTo(TrialState.RUNNING);
        assertThat(next.worker()).isEqualTo("curl");
        store.transition(study, StudyState.RUNNING, StudyState.CANCELLED, null, Instant.now());
    }

    @Test
    void aWorkerThatStopsGivesBackTheTrialItsLastCompletionClaimed() {
        long study = startTiny();
        Worker worker = new Worker(new HttpTrialProtocol(base, Duration.ofSeconds(10)), new TrialTraining(), "stopping");
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        // true before the first claim and as its trial starts (so its completion claims the next), false after
        int finished = worker.run(() -> asked.incrementAndGet() <= 2, Duration.ZERO, null);
        worker.close();
        assertThat(finished).isEqualTo(1);
        List<Trial> all = trials.list(study, 0, 100);
        assertThat(all).filteredOn(t -> t.state() == TrialState.COMPLETE).hasSize(1);
        assertThat(all).filteredOn(t -> t.attempts() == 1 && t.state() == TrialState.WAITING
                && t.error() != null && t.error().contains("the worker stopped before it began the trial"))
                .as("the trial its completion claimed is waiting again").hasSize(1);
        store.transition(study, StudyState.RUNNING, StudyState.CANCELLED, null, Instant.now());
    }

    @Test
    void theProtocolIsInTheOpenApiDocument() {
        String openapi = given().get(management.resolve("/q/openapi")).then().statusCode(200).extract().asString();
        for (String path : List.of("/api/workers/claim", "/api/trials/{id}/heartbeat", "/api/trials/{id}/intermediate",
                "/api/trials/{id}/complete", "/api/trials/{id}/complete-and-claim", "/api/trials/{id}/prune", "/api/trials/{id}/fail",
                "/api/trials/{id}/release", "/api/trials/{id}/assignment", "/api/studies/{id}/split")) {
            assertThat(openapi).as("OpenAPI documents %s", path).contains(path);
        }
    }

    @Test
    void anExpiredLeaseEndsTheClaimAndTheTrialIsClaimedAgain() {
        long study = startTiny();
        JsonPath first = claim(200);
        long trial = first.getLong("trialId");
        claims.expire(3, Instant.now().plus(Duration.ofMinutes(5)));
        given().contentType(ContentType.JSON).body(Map.of("claim", first.getString("claim")))
                .post("/api/trials/{id}/heartbeat", trial).then().statusCode(409)
                .body("error", containsString("its lease ran out and the trial is waiting"));
        given().contentType(ContentType.JSON).body(Map.of("claim", first.getString("claim"), "error", "boom"))
                .post("/api/trials/{id}/fail", trial).then().statusCode(409);
        JsonPath again = claim(200);
        assertThat(again.getLong("trialId")).as("the oldest waiting trial").isEqualTo(trial);
        assertThat(given().get("/api/trials/{id}", trial).jsonPath().getInt("attempts")).isEqualTo(2);
        given().get("/api/trials/{id}/assignment", trial).then().statusCode(400);
        given().queryParam("claim", again.getString("claim")).get("/api/trials/{id}/assignment", trial)
                .then().statusCode(200).body("trialId", org.hamcrest.Matchers.is((int) trial));
        store.transition(study, StudyState.RUNNING, StudyState.CANCELLED, null, Instant.now());
    }

    /** Issue 16, item 7: a 2 MB reason with a forged log line is stored capped. */
    @Test
    void aFloodingReasonIsStoredCapped() {
        long study = startTiny();
        JsonPath first = claim(200);
        long trial = first.getLong("trialId");
        String reason = "oom\n10:00:00 INFO  [d.c.a.TokenService] Token 9 'ops' (admin) created" + "x".repeat(2_000_000);
        given().contentType(ContentType.JSON).body(Map.of("claim", first.getString("claim"), "reason", reason))
                .post("/api/trials/{id}/release", trial).then().statusCode(200);
        String stored = given().get("/api/trials/{id}", trial).jsonPath().getString("error");
        assertThat(stored).startsWith("oom\n10:00:00").hasSizeLessThan(UserText.STORED_MAX + 40)
                .endsWith("more characters cut]");
        store.transition(study, StudyState.RUNNING, StudyState.CANCELLED, null, Instant.now());
    }

    @Test
    void aWorkerSpeakingHttpTrainsAStudyToTheEnd() {
        long study = startTiny();
        Worker worker = new Worker(new HttpTrialProtocol(base, Duration.ofSeconds(10)), new TrialTraining(), "http-worker");
        HttpTrialProtocol http = new HttpTrialProtocol(base, Duration.ofSeconds(10));
        for (int round = 0; round < 10 && studies.get(study).state() == StudyState.RUNNING; round++) {
            if (round == 0) { // one trial the way a Kubernetes pod runs its claim
                http.claim("http-worker", Duration.ZERO).ifPresent(worker::runOne);
            }
            // the rest as a worker process runs them: each completion claims the next trial
            worker.run(() -> true, Duration.ZERO, Duration.ZERO);
            coordinator.tick();
        }
        worker.close();
        assertThat(studies.get(study).state()).isEqualTo(StudyState.COMPLETED);
        List<Trial> all = trials.list(study, 0, 100);
        assertThat(all).hasSize(8).allSatisfy(t -> {
            assertThat(t.state()).isEqualTo(TrialState.COMPLETE);
            assertThat(t.worker()).isEqualTo("http-worker");
            assertThat(t.attempts()).isEqualTo(1);
            assertThat(t.results()).hasSize(3).allSatisfy(r -> assertThat(r.baselineHash()).isNotBlank());
        });
        assertThat(given().get("/api/trials/{id}/intermediate", all.getFirst().id()).jsonPath().getList("$")).isNotEmpty();
    }
}
