package dev.chorus.study;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.TestStudies;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deltas are paired: a trial and the baselines it is compared with train with the same seed on the
 * same split, so a candidate that is the baseline (every task alone, the baseline's settings, equal
 * weighting) scores a delta of exactly 0 on every task and both splits, not the ±4 points a different
 * seed alone used to move it; with k-fold cross-validation too, where the run trains on its fold's rows.
 */
@QuarkusTest
class PairedBaselineTest {

    private static final String YAML = TestStudies.tinyYaml()
            .replace("  epochs: { min: 2, max: 3 }", "  epochs: { min: 2, max: 4 }\n  weighting: [equal]")
            .replace("baseline:\n  epochs: 3", "baseline:\n  epochs: 4\n  trunk-width: 8\n  trunk-depth: 1\n"
                    + "  learning-rate: 0.01\n  batch-size: 64")
            .replace("max-trials: 8", "max-trials: 1")
            // 300 rows and 3 runs: folds: auto cross-validates, and the first run tests on fold 0
            .replaceFirst("  repeats: 1 .*", "  repeats: 3\n  confirm: off");

    @Test
    void everyTaskAloneWithTheBaselinesSettingsScoresExactlyZero() throws Exception {
        long id = TestStudies.post(YAML, false).then().statusCode(201).extract().jsonPath().getLong("id");
        given().contentType("application/json").body("""
                {"groups": [["a1"], ["a2"], ["c1"]], "weighting": "equal", "trunkWidth": 8, "trunkDepth": 1,
                 "learningRate": 0.01, "epochs": 4, "batchSize": 64, "architecture": "hard", "headDepth": 0}""")
                .post("/api/studies/{id}/trials", id).then().statusCode(201);
        given().post("/api/studies/{id}/start", id).then().statusCode(200);
        JsonPath study = TestStudies.awaitFinished(id, Duration.ofMinutes(5));
        assertThat(study.getString("state")).as("error: %s", study.getString("error")).isEqualTo("completed");

        JsonPath trial = given().queryParam("size", 10).get("/api/studies/{id}/trials", id).then().statusCode(200)
                .extract().jsonPath();
        assertThat(trial.getInt("total")).isEqualTo(1);
        assertThat(trial.getString("items[0].state")).isEqualTo("complete");
        assertThat(trial.getDouble("items[0].deltaM")).isEqualTo(0.0);
        assertThat(trial.getDouble("items[0].testDeltaM")).isEqualTo(0.0);
        List<Map<String, Map<String, Float>>> results = trial.getList("items[0].results");
        assertThat(results).hasSize(3).allSatisfy(r -> {
            assertThat(r.get("validation").get("value")).isEqualTo(r.get("validation").get("baseline"));
            assertThat(r.get("test").get("value")).isEqualTo(r.get("test").get("baseline"));
        });
        assertThat(given().queryParam("format", "json").get("/api/studies/{id}/report", id).then().statusCode(200)
                .extract().jsonPath().getInt("reproduction.folds")).as("cross-validated").isEqualTo(3);
    }
}
