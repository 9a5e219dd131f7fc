package dev.chorus.dispatch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        String python = Python3.require("the Python example worker");
        TestStudies.pauseEveryRunningStudy(store);
        long study = studies.start(studies.create(STUDY, Path.of("search-spaces")).id()).id();
        coordinator.tick();

        Python3.Run run = Python3.run(new ProcessBuilder(python, WORKER.toString(), "--coordinator", base.toString(),
                "--name", NAME, "--max-trials", "4", "--idle-exit", "20"), Duration.ofMinutes(3), coordinator::tick);
        String output = run.output();
        coordinator.tick();

        assertThat(run.exit()).as(output).isZero();
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
}
