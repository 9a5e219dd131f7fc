package dev.chorus.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.coordinator.Coordinator;
import dev.chorus.study.StudyStore;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The Python package's pytest suite ({@code clients/python/tests}: client, worker, ask and tell, errors)
 * against this test application as its real Chorus, with the coordinator ticked here while it runs.
 */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class PythonClientTest {

    private static final Path PACKAGE = Path.of("clients/python");

    @Inject
    StudyStore store;
    @Inject
    Coordinator coordinator;
    @TestHTTPResource("/")
    URI base;

    @Test
    void thePythonPackagesTestsPassAgainstARunningChorus() throws Exception {
        String python = Python3.require("the Python package (clients/python)", "pytest");
        TestStudies.pauseEveryRunningStudy(store); // its workers claim from its own studies only, but to be sure

        ProcessBuilder pytest = new ProcessBuilder(python, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                // the golden weighting tests need torch and run from PythonWeightingGoldenTest
                "--ignore=" + PACKAGE.resolve("tests").resolve("test_weighting_golden.py"),
                PACKAGE.resolve("tests").toString());
        pytest.environment().put("CHORUS_URL", base.toString());
        pytest.environment().put("PYTHONPATH", PACKAGE.resolve("src").toAbsolutePath().toString());
        pytest.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        // the coordinator loop is off in this profile: ticking makes trials and finishes studies, as in production
        Python3.Run run = Python3.run(pytest, Duration.ofMinutes(5), coordinator::tick);
        String output = run.output();
        assertThat(run.exit()).as(output).isZero();
        assertThat(output).as(output).containsPattern("\\d+ passed").doesNotContain("skipped");
    }
}
