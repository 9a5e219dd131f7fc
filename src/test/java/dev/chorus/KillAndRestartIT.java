package dev.chorus;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults of the packaged application, with its default worker processes: the coordinator killed with
 * SIGKILL in the middle of a study and started again on the same embedded PostgreSQL data directory
 * keeps every study and trial, finishes the study within its budget and runs no candidate twice; a
 * worker process killed with SIGKILL mid-trial is replaced, and its trial is retried once its lease
 * runs out and completes. Leases are short here (6 s, heartbeats every second) so the test is quick.
 */
class KillAndRestartIT {

    private static final Path JAR = Path.of(System.getProperty("chorus.jar", "target/quarkus-app/quarkus-run.jar"));
    private static final Path DATA = Path.of("target/pg-kill-restart");
    private static final String ADMIN_TOKEN = "kill-restart-admin-token-0123456789abcdef";
    private Process app;
    /** The management interface's port (health, metrics): free, like the public one. */
    private int managementPort;

    @AfterEach
    void stop() throws Exception {
        if (app != null && app.isAlive()) {
            app.destroy(); // SIGTERM: Quarkus shuts down and stops its PostgreSQL
            app.waitFor();
        }
        RestAssured.requestSpecification = null;
    }

    @Test
    void aKilledCoordinatorResumesWithoutLosingOrRepeatingTrials() throws Exception {
        int port = freshStart("first");
        long id = startStudy();

        JsonPath before = awaitTrials(id, 3, Duration.ofMinutes(5));
        app.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs, PostgreSQL is left behind
        Map<Integer, Object> completeBefore = completeTrials(before);
        assertThat(completeBefore).hasSizeGreaterThanOrEqualTo(3);

        app = start(port, "second");
        JsonPath study = TestStudies.awaitFinished(id, Duration.ofMinutes(8));
        assertThat(study.getString("state")).as("error: %s", study.getString("error")).isEqualTo("completed");

        JsonPath after = given().queryParam("size", 100).get("/api/studies/{id}/trials", id).then().extract().jsonPath();
        List<Map<String, Object>> trials = after.getList("items");
        assertThat(trials).as("the budget of 8 trials holds across the restart").hasSize(8);
        assertThat(trials).extracting(t -> t.get("number")).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        Set<Object> candidates = new HashSet<>();
        for (Map<String, Object> t : trials) {
            assertThat(t.get("state")).isEqualTo("complete");
            // a repeat re-runs its configuration on purpose (evaluation.repeats); first runs never repeat one
            assertThat(t.get("repeatOf") != null || candidates.add(t.get("candidate")))
                    .as("candidate of trial %s ran twice", t.get("number")).isTrue();
        }
        for (Map<String, Object> t : trials) {
            // a trial complete before the kill ran once; one claimed around the kill may have run twice
            int expectedAttempts = "complete".equals(stateAtKill(before, t.get("number"))) ? 1 : 2;
            assertThat(((Number) t.get("attempts")).intValue()).as("attempts of trial %s", t.get("number"))
                    .isBetween(1, expectedAttempts);
        }
        Map<Integer, Object> completeAfter = completeTrials(after);
        completeBefore.forEach((number, results) ->
                assertThat(completeAfter.get(number)).as("trial %d kept its results", number).isEqualTo(results));
        given().get("/api/studies/{id}/pareto", id).then().statusCode(200);
        assertThat(given().get("/api/studies/{id}/pareto", id).jsonPath().getList("members")).isNotEmpty();
    }

    @Test
    void aKilledWorkerProcessIsReplacedAndItsTrialRetried() throws Exception {
        freshStart("workers");
        long id = startStudy();

        Map<String, Object> victim = awaitRunningTrial(id, Duration.ofMinutes(3));
        String workerName = (String) victim.get("worker");
        ProcessHandle worker = app.descendants()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(workerName)).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no worker process named " + workerName));
        new ProcessBuilder("kill", "-9", Long.toString(worker.pid())).inheritIO().start().waitFor();
        worker.onExit().join();

        JsonPath study = TestStudies.awaitFinished(id, Duration.ofMinutes(8));
        assertThat(study.getString("state")).as("error: %s", study.getString("error")).isEqualTo("completed");
        assertThat(app.isAlive()).as("the coordinator outlived its worker").isTrue();
        List<Map<String, Object>> trials = given().queryParam("size", 100).get("/api/studies/{id}/trials", id)
                .then().extract().jsonPath().getList("items");
        assertThat(trials).as("the budget of 8 trials").hasSize(8)
                .allSatisfy(t -> assertThat(t.get("state")).isEqualTo("complete"))
                .allSatisfy(t -> assertThat((List<?>) t.get("results")).as("one result per task, once").hasSize(3));
        Map<String, Object> retried = trials.stream().filter(t -> t.get("number").equals(victim.get("number")))
                .findFirst().orElseThrow();
        assertThat(((Number) retried.get("attempts")).intValue()).as("the killed worker's trial ran again").isEqualTo(2);
        assertThat(retried.get("worker")).isNotEqualTo(workerName);
    }

    @Test
    void aRestartedPostgresIsReconnectedAndNothingIsLost() throws Exception {
        freshStart("postgres");
        long id = startStudy();
        awaitTrials(id, 2, Duration.ofMinutes(3));
        restartPostgres();

        // pooled connections the restart cut fail once each: those requests answer 503 with Retry-After
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        io.restassured.response.Response r;
        while ((r = given().get("/api/studies/{id}", id)).statusCode() != 200) {
            assertThat(r.statusCode()).as("while the pool reconnects: %s", r.asString()).isEqualTo(503);
            assertThat(r.header("Retry-After")).isNotNull();
            assertThat(System.nanoTime()).as("the pool reconnected within a minute").isLessThan(deadline);
            Thread.sleep(200);
        }
        JsonPath study = TestStudies.awaitFinished(id, Duration.ofMinutes(8));
        assertThat(study.getString("state")).as("error: %s", study.getString("error")).isEqualTo("completed");
        List<Map<String, Object>> trials = given().queryParam("size", 100).get("/api/studies/{id}/trials", id)
                .then().extract().jsonPath().getList("items");
        assertThat(trials).as("the budget of 8 trials").hasSize(8)
                .allSatisfy(t -> assertThat(t.get("state")).isEqualTo("complete"))
                .allSatisfy(t -> assertThat((List<?>) t.get("results")).hasSize(3));
        given().port(managementPort).get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(404); // not on the public port
    }

    @Test
    void aScheduledJobRunsByItselfOnceAcrossAKillAndNotifies() throws Exception {
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        List<String> notifications = new java.util.concurrent.CopyOnWriteArrayList<>();
        receiver.createContext("/hook", exchange -> {
            notifications.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            int port = freshStart("job");
            String startAt = java.time.Instant.now().plusSeconds(3).toString();
            long job = given().contentType(io.restassured.http.ContentType.JSON).body(Map.of("name", "soon",
                            "spec", TestStudies.resource("/restart.yaml"), "startAt", startAt, "runFor", "PT10M",
                            "webhook", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"))
                    .post("/api/jobs").then().statusCode(201).extract().jsonPath().getLong("id");
            JsonPath run = awaitJob(job, j -> j.get("lastRun.studyId") != null, Duration.ofMinutes(1));
            long study = run.getLong("lastRun.studyId");
            awaitTrials(study, 2, Duration.ofMinutes(3));
            app.destroyForcibly().waitFor(); // SIGKILL in the middle of the run
            app = start(port, "job-second");

            JsonPath done = awaitJob(job, j -> j.get("lastRun.outcome") != null, Duration.ofMinutes(8));
            assertThat(done.getString("lastRun.outcome")).isEqualTo("completed");
            assertThat(done.getList("runs")).as("one run for its one start time, across the kill").hasSize(1);
            assertThat(done.getString("nextRunAt")).as("a one-off job has nothing more to run").isNull();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (notifications.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(notifications).singleElement().satisfies(body -> {
                JsonPath n = new JsonPath(body);
                assertThat(n.getString("run.outcome")).isEqualTo("completed");
                assertThat(n.getLong("study.id")).isEqualTo(study);
                assertThat(n.getInt("study.trialsFinished")).isEqualTo(8);
            });
        } finally {
            receiver.stop(0);
        }
    }

    private static JsonPath awaitJob(long job, java.util.function.Predicate<JsonPath> done, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            JsonPath j = given().get("/api/jobs/{id}", job).then().statusCode(200).extract().jsonPath();
            if (done.test(j)) {
                return j;
            }
            assertThat(System.nanoTime()).as("job %d in time: %s", job, j.prettify()).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    /** Restarts the application's PostgreSQL (fast shutdown, same options) under its feet. */
    private static void restartPostgres() throws Exception {
        long pid = Long.parseLong(Files.readAllLines(DATA.resolve("postmaster.pid")).getFirst().trim());
        Path postgres = Path.of(ProcessHandle.of(pid).orElseThrow().info().command().orElseThrow());
        Path pgCtl = postgres.resolveSibling("pg_ctl");
        // PostgreSQL refuses to run as root; the embedded server runs in a user namespace, as here
        Process restart = new ProcessBuilder("unshare", "-U", pgCtl.toString(), "-D", DATA.toAbsolutePath().toString(),
                "-m", "fast", "-w", "-t", "60", "restart").redirectErrorStream(true)
                .redirectOutput(Path.of("target/kill-restart-pg-ctl.log").toFile()).start();
        assertThat(restart.waitFor()).as("pg_ctl restart; see target/kill-restart-pg-ctl.log").isZero();
        long newPid = Long.parseLong(Files.readAllLines(DATA.resolve("postmaster.pid")).getFirst().trim());
        assertThat(newPid).as("a new postmaster").isNotEqualTo(pid);
    }

    private static Map<String, Object> awaitRunningTrial(long id, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            List<Map<String, Object>> items = given().queryParam("size", 100).get("/api/studies/{id}/trials", id)
                    .then().extract().jsonPath().getList("items");
            Optional<Map<String, Object>> running = items.stream().filter(t -> "running".equals(t.get("state"))
                    && t.get("worker") != null && String.valueOf(t.get("worker")).startsWith("local-")).findFirst();
            if (running.isPresent()) {
                Thread.sleep(1_000); // well into its training
                return running.get();
            }
            assertThat(System.nanoTime()).as("a trial running in time").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Starts the application on an empty data directory and a free port. @return the port */
    private int freshStart(String name) throws Exception {
        stopLeftoverPostgres();
        deleteRecursively(DATA);
        int port = freePort();
        managementPort = freePort();
        RestAssured.port = port;
        RestAssured.requestSpecification = new io.restassured.builder.RequestSpecBuilder()
                .addHeader("Authorization", "Bearer " + ADMIN_TOKEN).build();
        app = start(port, name);
        return port;
    }

    private static long startStudy() {
        return TestStudies.post(TestStudies.resource("/restart.yaml"), true).then().statusCode(201)
                .extract().jsonPath().getLong("id");
    }

    private static Object stateAtKill(JsonPath before, Object number) {
        return before.<Map<String, Object>>getList("items").stream().filter(t -> number.equals(t.get("number")))
                .map(t -> t.get("state")).findFirst().orElse("not yet created");
    }

    /** A PostgreSQL left by an earlier, interrupted run of this test would keep the port and files. */
    private static void stopLeftoverPostgres() throws Exception {
        Path pid = DATA.resolve("postmaster.pid");
        if (Files.exists(pid)) {
            String first = Files.readAllLines(pid).getFirst().trim();
            new ProcessBuilder("kill", "-INT", first).inheritIO().start().waitFor();
            ProcessHandle.of(Long.parseLong(first)).ifPresent(p -> p.onExit().join());
        }
    }

    private static Map<Integer, Object> completeTrials(JsonPath page) {
        Map<Integer, Object> out = new HashMap<>();
        for (Map<String, Object> t : page.<Map<String, Object>>getList("items")) {
            if ("complete".equals(t.get("state"))) {
                out.put(((Number) t.get("number")).intValue(), t.get("results"));
            }
        }
        return out;
    }

    private static JsonPath awaitTrials(long id, int complete, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            JsonPath page = given().queryParam("size", 100).get("/api/studies/{id}/trials", id).then().extract().jsonPath();
            if (completeTrials(page).size() >= complete) {
                return page;
            }
            assertThat(System.nanoTime()).as("%d trials complete in time", complete).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private Process start(int port, String name) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = Path.of("target/kill-restart-" + name + ".log");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx1g",
                "-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + managementPort,
                "-Dchorus.db.data-dir=" + DATA, "-Dchorus.worker.processes=2",
                "-Dchorus.worker.lease=6s", "-Dchorus.worker.heartbeat=1s", "-Dchorus.worker.jvm-options=-Xmx512m",
                // a shared server: nobody is trusted for being local, so the worker processes must present
                // the token the coordinator made for them, and this test the admin token
                "-Dchorus.auth.loopback-admin=false", "-Dchorus.auth.admin-token=" + ADMIN_TOKEN,
                // the job's webhook receiver is this test, on loopback, which is refused unless allowed
                "-Dchorus.webhooks.allowed-hosts=127.0.0.1",
                "-jar", JAR.toString(), "serve")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("Chorus exited early; see %s", log).isTrue();
            try {
                if (given().get("/api/studies").statusCode() == 200) {
                    return p;
                }
            } catch (Exception notYet) { // RestAssured throws ConnectException unchecked
                // connection refused until the HTTP server is up
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Chorus did not answer within 2 minutes; see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }
}
