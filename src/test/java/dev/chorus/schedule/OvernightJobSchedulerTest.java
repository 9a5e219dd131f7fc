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
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Overnight jobs driven by hand through {@link OvernightJobScheduler#tick(Instant)} at chosen times: a run starts
 * once when due, stops at the stop time, and its notification reaches a real HTTP receiver that fails
 * the first delivery. Deliveries run on their own threads; the tests wait for them with
 * {@link WebhookDeliveries#awaitIdle}. The test configuration allows webhooks to {@code localhost} only.
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
    @Inject
    WebhookDeliveries deliveries;

    private HttpServer receiver;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler logs = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r.getMessage() + " " + Arrays.toString(r.getParameters()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    /** What the receiver's failing answer carries: it must reach neither the stored reason nor the log. */
    private static final String SECRET = "receiver-internal-token-5d1e";

    @BeforeEach
    void receiver() throws Exception {
        TestStudies.pauseEveryRunningStudy(store);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (calls.incrementAndGet() == 1) { // the first delivery fails, saying more than it should
                byte[] error = ("{\"error\": \"backend down\", \"token\": \"" + SECRET + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(503, error.length);
                exchange.getResponseBody().write(error);
            } else {
                received.add(new String(body, StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        receiver.start();
        Logger.getLogger("dev.chorus.schedule").addHandler(logs);
    }

    @AfterEach
    void stopReceiver() throws InterruptedException {
        Logger.getLogger("dev.chorus.schedule").removeHandler(logs);
        assertThat(deliveries.awaitIdle(Duration.ofSeconds(60))).as("deliveries ended").isTrue();
        receiver.stop(0);
    }

    private String hook() {
        return "http://localhost:" + receiver.getAddress().getPort() + "/hook";
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
        assertThat(deliveries.awaitIdle(Duration.ofSeconds(60))).isTrue();
        OvernightJobStore.Webhook hook = jobs.webhookOf(run.id()).orElseThrow();
        assertThat(hook.attempts()).as("first delivery failed with 503").isEqualTo(1);
        assertThat(hook.lastError()).as("the status only, not what the receiver said").isEqualTo("HTTP 503");
        assertThat(logged).as("the failure is logged").anySatisfy(line -> assertThat(line).contains("HTTP 503"))
                .noneSatisfy(line -> assertThat(line).containsAnyOf(SECRET, "backend down", "/hook"));
        scheduler.tick(hook.nextAttemptAt());
        assertThat(deliveries.awaitIdle(Duration.ofSeconds(60))).isTrue();
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

    /**
     * A receiver that sends its headers and then a byte a second (two minutes' worth) held the scheduler's
     * one thread for as long, and a job due meanwhile started late. Now the tick only queues the
     * delivery, a job due at the next tick starts at once, the delivery is not started a second time while
     * the first is under way, and the first ends at the deadline (15 s) as "timed out".
     */
    @Test
    void aSlowReceiverDelaysNoJobAndIsCutOffAtTheDeadline() throws Exception {
        try (RawReceiver slow = new RawReceiver(RawReceiver.drip(120))) {
            Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            long notifying = given().contentType(ContentType.JSON).body(Map.of("name", "notifies slowly",
                    "spec", TestStudies.tinyYaml(), "startAt", now.minusSeconds(60).toString(), "runFor", "PT2H",
                    "webhook", slow.url("http", "/hook"))).post("/api/jobs").then().statusCode(201).extract().jsonPath().getLong("id");
            scheduler.tick(now);
            OvernightJob.Run run = jobs.runs(notifying, 1).getFirst();
            studies.cancel(run.studyId());
            long later = given().contentType(ContentType.JSON).body(Map.of("name", "due meanwhile",
                    "spec", TestStudies.tinyYaml(), "startAt", now.plusSeconds(10).toString(), "runFor", "PT2H"))
                    .post("/api/jobs").then().statusCode(201).extract().jsonPath().getLong("id");

            long start = System.nanoTime();
            scheduler.tick(now.plusSeconds(5)); // the run ends: its notification goes to the slow receiver
            assertThat(jobs.runs(notifying, 1).getFirst().outcome()).isEqualTo("cancelled");
            scheduler.tick(now.plusSeconds(10)); // the other job is due
            assertThat(jobs.runs(later, 1)).as("the job due while the receiver drips started").hasSize(1);
            assertThat(jobs.webhookOf(run.id()).orElseThrow().attempts()).as("the delivery is still under way").isZero();

            assertThat(deliveries.awaitIdle(Duration.ofSeconds(90))).isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            OvernightJobStore.Webhook hook = jobs.webhookOf(run.id()).orElseThrow();
            assertThat(hook.attempts()).as("one attempt, though a second tick saw it due").isEqualTo(1);
            assertThat(hook.lastError()).isEqualTo("timed out after 15 s");
            assertThat(hook.nextAttemptAt()).isEqualTo(now.plusSeconds(5 + 30));
            assertThat(slow.requests).as("one connection").hasSize(1);
            assertThat(took).as("cut off at the deadline, not after the 120 s drip").isLessThan(Duration.ofSeconds(60));
        }
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
        for (String refused : List.of("http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:9/hook",
                "https://[::ffff:10.0.0.1]/hook", "http://[fd00::1]/")) {
            given().contentType(ContentType.JSON).body(Map.of("name", "x", "spec", TestStudies.tinyYaml(),
                    "cron", "0 1 * * *", "webhook", refused)).post("/api/jobs").then().statusCode(400)
                    .body("problems", hasItem(containsString("webhook: '" + refused + "': ")))
                    .body("problems", hasItem(containsString("chorus.webhooks.allowed-hosts")));
        }
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "spec", TestStudies.tinyYaml(),
                "cron", "0 1 * * *", "webhook", "http://169.254.169.254/")).post("/api/jobs").then().statusCode(400)
                .body("problems", hasItem("webhook: 'http://169.254.169.254/': 169.254.169.254 is a link-local address; "
                        + "Chorus posts to loopback, link-local, private, unspecified and multicast addresses only when "
                        + "chorus.webhooks.allowed-hosts lists the host"));
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "spec", TestStudies.tinyYaml()))
                .post("/api/jobs").then().statusCode(400).body("problems", hasItem(containsString("cron or startAt")));
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "spec", "name: broken\ntasks: 3\n", "cron", "0 1 * * *"))
                .post("/api/jobs").then().statusCode(400).body("error", containsString("search-space file is not valid"));
        given().get("/api/jobs/{id}", 987_654).then().statusCode(404);
    }
}
