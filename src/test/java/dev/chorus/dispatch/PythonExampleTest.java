package dev.chorus.dispatch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.coordinator.Coordinator;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Python example worker ({@code examples/python/chorus_worker.py}, standard library only) trains a
 * CSV study to the end over the trial protocol, against this coordinator, as an external trainer would.
 */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class PythonExampleTest {

    private static final Path WORKER = Path.of("examples/python/chorus_worker.py");
    private static final String NAME = "python-example-test";

    /** {@code search-spaces/example-csv.yaml} cut down to one generation of 4 trials. */
    private static final String STUDY = """
            name: python-example
            seed: 7
            dataset:
              csv:
                path: ../datasets/customers.csv
            tasks:
              - { name: churned, type: binary }
              - { name: segment, type: multiclass, metric: macro_f1 }
              - { name: upgraded, type: binary, metric: f1 }
              - { name: lifetime_value, type: regression, metric: mae }
              - { name: basket_size, type: regression }
            objectives:
              models: true
            search:
              sampler: random
              population: 4
              trunk-width: [16, 32]
              epochs: { min: 5, max: 10 }
              batch-size: [32, 64]
            evaluation:
              stability: false   # the worker stops after 4 trials: no variants after them
              confirm: off       # nor confirmation runs
            budget:
              max-trials: 4
              max-minutes: 10
            """;

    @Inject
    StudyService studies;
    @Inject
    StudyStore store;
    @Inject
    TrialStore trials;
    @Inject
    Coordinator coordinator;
    @TestHTTPResource("/")
    URI base;

    @Test
    void thePythonWorkerCompletesEveryTrialOfACsvStudy() throws Exception {
        String python = python3();
        TestStudies.pauseEveryRunningStudy(store);
        long study = studies.start(studies.create(STUDY, Path.of("search-spaces")).id()).id();
        coordinator.tick();

        Path log = Files.createTempFile("python-example", ".log");
        String output;
        int exit;
        try {
            Process worker = new ProcessBuilder(python, WORKER.toString(), "--coordinator", base.toString(),
                    "--name", NAME, "--max-trials", "4", "--idle-exit", "20")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (worker.isAlive() && System.nanoTime() < deadline) {
                coordinator.tick();
                worker.waitFor(500, TimeUnit.MILLISECONDS); // the worker trains in real time
            }
            if (worker.isAlive()) {
                worker.destroyForcibly();
                fail("the Python worker did not finish in 3 minutes; its output:\n" + Files.readString(log));
            }
            output = Files.readString(log);
            exit = worker.exitValue();
        } finally {
            Files.deleteIfExists(log);
        }
        coordinator.tick();

        assertThat(exit).as(output).isZero();
        assertThat(studies.get(study).state()).as(output).isEqualTo(StudyState.COMPLETED);
        List<Trial> all = trials.list(study, 0, 100);
        assertThat(all).as(output).hasSize(4).allSatisfy(t -> {
            assertThat(t.state()).isEqualTo(TrialState.COMPLETE);
            assertThat(t.worker()).isEqualTo(NAME);
            assertThat(t.results()).hasSize(5).allSatisfy(r -> {
                assertThat(r.baselineHash()).isNotBlank();
                given().get("/api/baselines/{hash}", r.baselineHash()).then().statusCode(200);
            });
        });
        assertThat(given().get("/api/trials/{id}/intermediate", all.getFirst().id()).jsonPath().getList("$"))
                .as("validation values per epoch").isNotEmpty();
        assertThat(output.lines().filter(l -> l.contains(": complete in "))).as(output).hasSize(4);
    }

    /** python3, or the test is skipped; under CI=true a missing python3 fails it. */
    private static String python3() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return "python3";
            }
        } catch (IOException e) {
            // not on the PATH: decided below
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("python3 is not on the PATH; the Python example worker cannot be tested");
        }
        Assumptions.abort("python3 is not on the PATH; skipping the Python example worker's test");
        return null;
    }
}
