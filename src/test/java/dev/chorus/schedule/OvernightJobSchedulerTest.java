package dev.chorus.schedule;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.containsString;

import com.sun.net.httpserver.HttpServer;
import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Overnight jobs driven by hand through {@link OvernightJobScheduler#tick(Instant)} at chosen times: a run starts
 * once when due, stops at the stop time, and its notification reaches a real HTTP receiver that fails
 * the first delivery.
 */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class OvernightJobSchedulerTest {

    @Inject
    OvernightJobScheduler scheduler;
    @Inject
    OvernightJobStore jobs;
    @Inject
    StudyService studies;
    @Inject
    StudyStore store;

    private HttpServer receiver;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void receiver() throws Exception {
        TestStudies.pauseEveryRunningStudy(store);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = calls.incrementAndGet() == 1 ? 503 : 204; // the first delivery fails
            if (status == 204) {
                received.add(new String(body, StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private String hook() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @Test
    void aNightlyJobStartsOnceStopsAtItsStopTimeAndNotifies() throws Exception {
        JsonPath created = given().contentType(ContentType.JSON).body(Map.of("name", "nightly", "spec", TestStudies.tinyYaml(),
                "cron", "0 22 * * *", "stopBy", "06:00", "timeZone", "UTC", "webhook", hook()))
                .post("/api/jobs").then().statusCode(201).extract().jsonPath();
        long id = created.getLong("id");
        Instant due = Instant.parse(created.getString("nextRunAt"));
        assertThat(due.toString()).endsWith("T22:00:00Z");

        scheduler.tick(due.minusSeconds(1));
        assertThat(jobs.runs(id, 10)).as("not yet due").isEmpty();
        scheduler.tick(due.plusSeconds(3));
        scheduler.tick(due.plusSeconds(4));
        List<OvernightJob.Run> runs = jobs.runs(id, 10);
        assertThat(runs).as("one run for one scheduled time").hasSize(1);
        OvernightJob.Run run = runs.getFirst();
        assertThat(run.stopAt()).isEqualTo(due.plusSeconds(8 * 3600));
        assertThat(studies.get(run.studyId()).state()).isEqualTo(StudyState.RUNNING);
        JsonPath listed = given().get("/api/jobs/{id}", id).then().statusCode(200).extract().jsonPath();
        assertThat(listed.getString("nextRunAt")).isEqualTo(due.plusSeconds(86_400).toString());
        assertThat(listed.getLong("lastRun.studyId")).isEqualTo(run.studyId());

        Instant stop = run.stopAt();
        scheduler.tick(stop);
        assertThat(studies.get(run.studyId()).state()).isEqualTo(StudyState.COMPLETED);
        assertThat(jobs.runs(id, 10).getFirst().outcome()).isEqualTo("stopped");
        OvernightJobStore.Webhook hook = jobs.webhookOf(run.id()).orElseThrow();
        assertThat(hook.attempts()).as("first delivery failed with 503").isEqualTo(1);
        assertThat(hook.lastError()).contains("HTTP 503");
        scheduler.tick(hook.nextAttemptAt());
        assertThat(jobs.webhookOf(run.id()).orElseThrow().deliveredAt()).isNotNull();
        assertThat(received).singleElement().satisfies(body -> {
            JsonPath n = new JsonPath(body);
            assertThat(n.getString("event")).isEqualTo("job.run.finished");
            assertThat(n.getString("run.outcome")).isEqualTo("stopped");
            assertThat(n.getLong("study.id")).isEqualTo(run.studyId());
            assertThat(n.getString("report")).isEqualTo("/api/studies/" + run.studyId() + "/report?format=html");
        });
        given().post("/api/jobs/{id}/pause", id).then().statusCode(200).body("enabled", org.hamcrest.Matchers.is(false));
        scheduler.tick(due.plusSeconds(86_400));
        assertThat(jobs.runs(id, 10)).as("a paused job starts nothing").hasSize(1);
    }

    @Test
    void aOneOffJobWhoseStudyIsCancelledReportsIt() {
        Instant at = Instant.now().minusSeconds(60);
        long id = given().contentType(ContentType.JSON).body(Map.of("name", "once", "spec", TestStudies.tinyYaml(),
                "startAt", at.toString(), "runFor", "PT2H", "webhook", hook()))
                .post("/api/jobs").then().statusCode(201).extract().jsonPath().getLong("id");
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS); // PostgreSQL keeps microseconds
        scheduler.tick(now);
        OvernightJob.Run run = jobs.runs(id, 1).getFirst();
        assertThat(run.stopAt()).isEqualTo(now.plusSeconds(7200));
        assertThat(jobs.find(id).orElseThrow().nextRunAt()).as("nothing more to run").isNull();
        studies.cancel(run.studyId());
        scheduler.tick(now.plusSeconds(5));
        assertThat(jobs.runs(id, 1).getFirst().outcome()).isEqualTo("cancelled");
        assertThat(jobs.webhookOf(run.id())).isPresent();
    }

    @Test
    void badJobsAreRefusedWithEveryProblemNamed() {
        given().contentType(ContentType.JSON).body(Map.of("spec", TestStudies.tinyYaml(), "cron", "0 24 * * *",
                "timeZone", "Mars/Olympus", "webhook", "ftp://x", "runFor", "8 hours"))
                .post("/api/jobs").then().statusCode(400)
                .body("problems", hasItem(containsString("name: give the job a name")))
                .body("problems", hasItem(containsString("cron hour '24' is not valid: Value 24 not in range [0, 23]")))
                .body("problems", hasItem(containsString("timeZone: 'Mars/Olympus'")))
                .body("problems", hasItem(containsString("webhook: 'ftp://x'")))
                .body("problems", hasItem(containsString("runFor: '8 hours'")));
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "spec", TestStudies.tinyYaml()))
                .post("/api/jobs").then().statusCode(400).body("problems", hasItem(containsString("cron or startAt")));
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "spec", "name: broken\ntasks: 3\n", "cron", "0 1 * * *"))
                .post("/api/jobs").then().statusCode(400).body("error", containsString("search-space file is not valid"));
        given().get("/api/jobs/{id}", 987_654).then().statusCode(404);
    }
}
