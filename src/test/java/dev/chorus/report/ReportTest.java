package dev.chorus.report;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.ReportCommand;
import dev.chorus.TestStudies;
import dev.chorus.server.HypervolumeWriter;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openpdf.text.pdf.PdfReader;
import org.openpdf.text.pdf.parser.PdfTextExtractor;

/** The Pareto report of a finished study, opened in each format and checked for its content. */
@QuarkusTest
class ReportTest {

    private static long finished = -1;
    @TestHTTPResource("/")
    URI base;
    @Inject
    ObjectMapper json;
    @Inject
    HypervolumeWriter hypervolumes;
    private long id;

    /** One finished study shared by the tests (RestAssured knows the port only inside a test). */
    @BeforeEach
    void finishedStudy() throws Exception {
        if (finished >= 0) {
            id = finished;
            return;
        }
        String yaml = TestStudies.tinyYaml().replace("  population: 4\n",
                "  population: 4\n  warm-start: affinity\n  affinity-epochs: 2\n");
        id = TestStudies.post(yaml, true).then().statusCode(201).extract().jsonPath().getLong("id");
        assertThat(TestStudies.awaitFinished(id, Duration.ofMinutes(3)).getString("state")).isEqualTo("completed");
        assertThat(hypervolumes.awaitIdle(Duration.ofMinutes(1))).isTrue();
        finished = id;
    }

    @Test
    void jsonHoldsEverySection() {
        JsonPath r = given().get("/api/studies/{id}/report", id).then().statusCode(200).extract().jsonPath();
        assertThat(r.getString("study.name")).isEqualTo("tiny");
        assertThat(r.getString("study.specYaml")).contains("name: tiny");
        assertThat(r.getList("study.tasks")).containsExactly("a1", "a2", "c1");
        assertThat(r.getList("baselines.task")).containsExactly("a1", "a2", "c1");
        assertThat(r.getList("front")).isNotEmpty();
        assertThat(r.getInt("recommendation.fewestModels.models")).isPositive();
        assertThat(r.getString("recommendation.fewestModelsReason")).contains("fewest models");
        assertThat(r.getString("recommendation.kneeReason")).isNotBlank();
        assertThat(r.getList("affinity.matrix")).hasSize(3);
        assertThat(r.getList("hypervolume.history")).isNotEmpty();
        JsonPath hv = given().get("/api/studies/{id}/report", id).then().extract()
                .jsonPath(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        assertThat(hv.getList("hypervolume.ideal")).as("per task, then -models").hasSize(4);
        List<Double> shares = hv.getList("hypervolume.history.share", Double.class);
        assertThat(hv.getList("hypervolume.history.exact", Boolean.class)).containsOnly(true);
        assertThat(hv.getList("hypervolume.history.errorShare", Double.class)).as("exact: no bound").containsOnly(0.0);
        assertThat(shares).doesNotContainNull().allSatisfy(s -> assertThat(s).isBetween(0.0, 1.0));
        assertThat(shares.getLast()).as("the raw value over the box").isCloseTo(Math.min(1,
                hv.getList("hypervolume.history.value", Double.class).getLast() / hv.getDouble("hypervolume.boxVolume")),
                within(1e-9));
        assertThat(r.getString("reproduction.dataHash")).hasSize(64);
        assertThat(r.getMap("reproduction.versions")).containsKeys("chorus", "java", "djl");
        assertThat(r.getList("negativeTransfer")).isNotNull();
        assertThat(r.getInt("front[0].deltaMInterval.runs")).as("tiny.yaml: one run per configuration").isEqualTo(1);
        assertThat(r.getMap("front[0].testDeltaMInterval")).containsEntry("low", null).containsEntry("high", null);
        assertThat(r.getMap("front[0].taskDeltas.c1.test")).containsKeys("mean", "low", "high", "runs");
    }

    @Test
    void jsonCarriesEveryDeltaWithItsIntervalAndRuns() throws Exception {
        // the report as the endpoint writes it (the application's ObjectMapper), of a front measured over 3 runs
        String text = json.writeValueAsString(ReportFixtures.report("a1", "a2"));
        JsonPath r = JsonPath.from(text).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        JsonPath counts = JsonPath.from(text);
        assertThat(r.getDouble("front[0].deltaMInterval.mean")).isEqualTo(5.0);
        assertThat(r.getDouble("front[0].deltaMInterval.low")).isCloseTo(5 - 4.968275, within(1e-6));
        assertThat(r.getDouble("front[0].deltaMInterval.high")).isCloseTo(5 + 4.968275, within(1e-6));
        assertThat(counts.getInt("front[0].deltaMInterval.runs")).isEqualTo(3);
        assertThat(r.getDouble("front[0].testDeltaMInterval.low")).isCloseTo(2.5 - 2.484138, within(1e-6));
        assertThat(r.getDouble("front[0].taskDeltas.a1.validation.low")).isCloseTo(4 - 4.968275, within(1e-6));
        assertThat(r.getDouble("front[0].taskDeltas.a2.test.high")).isCloseTo(3 + 2.484138, within(1e-6));
        assertThat(counts.getInt("front[0].taskDeltas.a2.test.runs")).isEqualTo(3);
        assertThat(r.getDouble("recommendation.fewestModels.taskDeltas.a1.test.mean")).isEqualTo(2.0);
        assertThat(counts.getInt("front[1].deltaMInterval.runs")).isEqualTo(1);
        assertThat(r.getMap("front[1].deltaMInterval")).as("one run: no interval, stated as null")
                .containsEntry("low", null).containsEntry("high", null);
        assertThat(r.getMap("front[1].taskDeltas.a1.test")).containsEntry("low", null);
    }

    @Test
    void csvHasOneRowPerFrontMember() {
        String csv = given().queryParam("format", "csv").get("/api/studies/{id}/report", id).then().statusCode(200)
                .header("Content-Type", containsString("text/csv")).extract().asString();
        List<String> lines = csv.lines().toList();
        int front = given().get("/api/studies/{id}/pareto", id).jsonPath().getList("members").size();
        assertThat(lines).hasSize(front + 1);
        assertThat(lines.getFirst()).startsWith("trial_id,trial_number,models,groups,weighting,validation_delta_m_percent,"
                + "test_delta_m_percent,runs,test_delta_m_low,test_delta_m_high,recommended,a1_validation,a1_validation_baseline,a1_validation_delta_percent,"
                + "a1_test,a1_test_baseline,a1_test_delta_percent,a2_validation");
        assertThat(csv).contains("fewest models");
    }

    @Test
    void htmlIsSelfContained() {
        String html = given().queryParam("format", "html").get("/api/studies/{id}/report", id).then().statusCode(200)
                .header("Content-Type", containsString("text/html")).extract().asString();
        assertThat(html).contains("<svg", "Recommended configuration", "Single-task baselines", "Negative transfer",
                "Task affinity", "Hypervolume", "Reproduce", "name: tiny", "a1", "a2", "c1");
        assertThat(html).as("the hypervolume in percent of the reference box, and that it is exact").contains(
                "the front covers " + lastShare() + " of its reference box (exact; after the first", "% of reference box",
                "trials: " + lastShare() + " (exact)");
        assertThat(html).as("nothing loads from elsewhere").doesNotContain("<script", "src=", "href=", "<link");
    }

    @Test
    void pdfTextCarriesTheReport() throws Exception {
        byte[] pdf = given().queryParam("format", "pdf").get("/api/studies/{id}/report", id).then().statusCode(200)
                .header("Content-Type", containsString("application/pdf")).extract().asByteArray();
        assertThat(new String(pdf, 0, 5)).isEqualTo("%PDF-");
        PdfReader reader = new PdfReader(pdf);
        StringBuilder text = new StringBuilder();
        PdfTextExtractor extractor = new PdfTextExtractor(reader);
        for (int page = 1; page <= reader.getNumberOfPages(); page++) {
            text.append(extractor.getTextFromPage(page)).append('\n');
        }
        assertThat(text.toString()).contains("Chorus report: tiny", "Recommended configuration", "Fewest models",
                "Single-task baselines", "Pareto front", "a1", "Data content hash",
                "the front covers " + lastShare() + " of its reference box", "exact;");
    }

    /** The last hypervolume share as the report writes it: percent, one decimal. */
    private String lastShare() {
        double share = given().get("/api/studies/{id}/hypervolume", id).then().statusCode(200).extract()
                .jsonPath(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE)).getList("history.share", Double.class)
                .getLast();
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    @Test
    void theReportCommandWritesTheFile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r.html");
        int code = ReportCommand.run(List.of(Long.toString(id), "--format", "html", "--output", out.toString(),
                "--coordinator", base.toString()), Map.of());
        assertThat(code).isZero();
        assertThat(Files.readString(out)).contains("Chorus report: tiny", "Recommended configuration");
        assertThat(ReportCommand.run(List.of("x"), Map.of())).as("a bad id").isEqualTo(2);
        assertThat(ReportCommand.run(List.of(Long.toString(id), "--format", "docx"), Map.of())).isEqualTo(2);
    }

    @Test
    void badFormatsAndUnknownStudiesAreExplained() {
        given().queryParam("format", "docx").get("/api/studies/{id}/report", id).then().statusCode(400)
                .body("error", containsString("format must be one of json, csv, html, pdf"));
        given().get("/api/studies/{id}/report", 999_999).then().statusCode(404);
    }
}
