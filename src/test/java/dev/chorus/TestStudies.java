package dev.chorus;

import static io.restassured.RestAssured.given;

import dev.chorus.dispatch.TrialProtocol;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Study files and waits shared by the REST-level tests. */
public final class TestStudies {

    private TestStudies() {
    }

    /** {@code tiny.yaml}: 3 tasks, 8 trials of tiny models. */
    public static String tinyYaml() {
        return resource("/tiny.yaml");
    }

    /** A test resource as text. */
    public static String resource(String name) {
        try (InputStream in = TestStudies.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Pauses every running study. Workers (and {@code claimNext}) serve every running study, so tests
     * that drive trials by hand keep other tests' studies out of the queue with this.
     */
    public static void pauseEveryRunningStudy(dev.chorus.study.StudyStore store) {
        for (dev.chorus.study.Study s : store.listByState(dev.chorus.study.StudyState.RUNNING)) {
            store.transition(s.id(), dev.chorus.study.StudyState.RUNNING, dev.chorus.study.StudyState.PAUSED, null,
                    java.time.Instant.now());
        }
    }

    /** POSTs a search-space file as {@code application/yaml}; the response is for the caller to check. */
    public static io.restassured.response.Response post(String yaml, boolean start) {
        return given().contentType("application/yaml").body(yaml.getBytes(StandardCharsets.UTF_8))
                .queryParam("start", start).when().post("/api/studies");
    }

    /** Polls a study over REST until it is finished or {@code limit} has passed; returns its last view. */
    public static JsonPath awaitFinished(long id, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            io.restassured.response.Response r = given().get("/api/studies/{id}", id);
            if (r.statusCode() == 503 && System.nanoTime() < deadline) { // the database restarting: retry, as clients do
                Thread.sleep(500);
                continue;
            }
            JsonPath study = r.then().statusCode(200).extract().jsonPath();
            String state = study.getString("state");
            if (List.of("completed", "failed", "cancelled").contains(state) || System.nanoTime() > deadline) {
                return study;
            }
            Thread.sleep(500); // waiting for real training to finish, not for time to pass
        }
    }

    /**
     * A completion of an assignment with results that differ from trial to trial (by {@code i}), so that a
     * front holds several, and baselines under the assignment's keys.
     */
    public static TrialProtocol.Completion completion(TrialProtocol.Assignment a, int i) {
        List<TrialProtocol.Result> results = new ArrayList<>();
        List<TrialProtocol.NewBaseline> baselines = new ArrayList<>();
        for (int t = 0; t < a.tasks().size(); t++) {
            TrialProtocol.TaskInfo task = a.tasks().get(t);
            double value = 0.5 + 0.45 * Math.abs(Math.sin(i * 1.7 + t * 2.3));
            results.add(new TrialProtocol.Result(task.name(), value, value, task.baselineHash()));
            baselines.add(new TrialProtocol.NewBaseline(task.baselineHash(), task.name(), 0.7, 0.7, 1, null));
        }
        return new TrialProtocol.Completion(results, baselines);
    }
}
