package dev.chorus.dispatch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.DataCommand;
import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.coordinator.Coordinator;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PyTorch example ({@code examples/python/overlay_torch.py}) end to end, as README's Python section
 * runs it: {@code chorus data overlay} writes the images, the example creates and starts the study
 * through the {@code chorus} package, trains every trial and baseline with PyTorch as an external worker
 * (the coordinator's own worker is off in this profile), prints the front and saves the report. The study
 * is the example's own file cut to a tiny budget. Skipped without a Python that imports torch, NumPy and
 * Pillow; under {@code CI=true} that fails instead.
 */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class OverlayTorchExampleTest {

    private static final Path EXAMPLE = Path.of("examples/python/overlay_torch.py");
    private static final Path STUDY = Path.of("examples/python/overlay_torch.yaml");
    private static final String NAME = "overlay-torch-test";

    @Inject
    StudyStore store;
    @Inject
    TrialStore trials;
    @Inject
    Coordinator coordinator;
    @TestHTTPResource("/")
    URI base;

    @Test
    void theExampleTrainsATinyOverlayStudyToItsReport(@TempDir Path dir) throws Exception {
        String python = Python3.require("the PyTorch example (examples/python/overlay_torch.py)",
                "torch", "numpy", "PIL");
        TestStudies.pauseEveryRunningStudy(store);
        Path data = dir.resolve("overlay");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8);
        assertThat(DataCommand.run(List.of("overlay", "--rows", "300", "--seed", "1", "--out", data.toString()),
                out, out)).as(said.toString(StandardCharsets.UTF_8)).isZero();
        Path spec = Files.writeString(dir.resolve("study.yaml"), tiny(Files.readString(STUDY), data));
        Path report = dir.resolve("report.html");

        ProcessBuilder example = new ProcessBuilder(python, EXAMPLE.toString(), "--url", base.toString(),
                "--study", spec.toString(), "--data", data.toString(), "--report", report.toString(), "--name", NAME);
        example.environment().put("PYTHONPATH", Path.of("clients/python/src").toAbsolutePath().toString());
        example.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Python3.Run run = Python3.run(example, Duration.ofMinutes(5), coordinator::tick);
        String output = run.output();

        assertThat(run.exit()).as(output).isZero();
        Matcher created = Pattern.compile("study (\\d+) created and started").matcher(output);
        assertThat(created.find()).as(output).isTrue();
        long study = Long.parseLong(created.group(1));
        assertThat(store.find(study).orElseThrow().state()).as(output).isEqualTo(StudyState.COMPLETED);
        List<Trial> all = trials.list(study, 0, 100);
        assertThat(all).as(output).hasSize(2).allSatisfy(t -> {
            assertThat(t.state()).isIn(TrialState.COMPLETE, TrialState.PRUNED);
            assertThat(t.worker()).isEqualTo(NAME);
        });
        Trial first = all.getFirst();
        assertThat(first.state()).as(output).isEqualTo(TrialState.COMPLETE);
        assertThat(first.results()).as(output).hasSize(2).allSatisfy(r -> {
            assertThat(r.validation().value()).isBetween(0.0, 1.0);
            assertThat(r.test().value()).isBetween(0.0, 1.0);
            given().get("/api/baselines/{hash}", r.baselineHash()).then().statusCode(200);
        });
        assertThat(given().get("/api/trials/{id}/intermediate", first.id()).jsonPath().getList("$"))
                .as("validation accuracy per epoch").isNotEmpty();
        assertThat(output).as(output).contains("baseline: left", "baseline: right", "  front: ", "  verdict: ");
        assertThat(Files.readString(report)).contains("Chorus report");
    }

    /** The example's study on {@code data}, cut to 2 trials of 1 to 2 epochs with no repeats. */
    private static String tiny(String yaml, Path data) {
        String cut = yaml
                .replace("path: datasets/overlay/labels.csv", "path: " + data.resolve("labels.csv"))
                .replaceAll("population: \\d+", "population: 2")
                .replaceAll("epochs: \\{ min: \\d+, max: \\d+ }", "epochs: { min: 1, max: 2 }")
                .replaceAll("epochs: \\d+", "epochs: 2")
                .replaceAll("repeats: \\d+", "repeats: 1")
                .replaceAll("max-trials: \\d+", "max-trials: 2");
        assertThat(cut).as("the example's study still has the keys this test cuts down")
                .contains(data.toString(), "population: 2", "epochs: { min: 1, max: 2 }", "epochs: 2",
                        "repeats: 1", "max-trials: 2");
        return cut;
    }
}
