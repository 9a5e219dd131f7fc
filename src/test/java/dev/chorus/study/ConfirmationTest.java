package dev.chorus.study;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.TestStudies;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The confirmation (evaluation.confirm): once the search has spent max-trials, the configurations the
 * answer rests on (the shortlist and the tasks' tuned references) are brought to {@code confirm} paired
 * runs, as repeats of their configurations, within the stated allowance, and the recommendation rests on
 * them. New configurations after the search are only the separate twins of shortlisted members that share a
 * model (every task alone with the member's settings), the references they need, and with
 * {@code evaluation.tuned-twins} their tuned twins (the member's grouping with its references' settings).
 */
@QuarkusTest
class ConfirmationTest {

    private static final int MAX_TRIALS = 12;
    private static final String YAML = TestStudies.tinyYaml().replace("name: tiny", "name: confirmation")
            .replace("  repeats: 1", "  repeats: 2\n  confirm: 4").replace("max-trials: 8", "max-trials: " + MAX_TRIALS);

    @Test
    void theAnswersConfigurationsGetTheConfirmationsRunsAfterTheSearch() throws Exception {
        long id = TestStudies.post(YAML, true).then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath study = TestStudies.awaitFinished(id, Duration.ofMinutes(8));
        assertThat(study.getString("state")).as("error: %s", study.getString("error")).isEqualTo("completed");

        List<Map<String, Object>> trials = given().queryParam("size", 200).get("/api/studies/{id}/trials", id)
                .then().statusCode(200).extract().jsonPath().getList("items");
        // allowance: (confirm - repeats) x (shortlist of 3 + 3 tasks) + confirm x 3 separate twins = 24 runs
        assertThat(trials).as("confirmation runs follow the search's budget, within the allowance")
                .hasSizeGreaterThan(MAX_TRIALS).hasSizeLessThanOrEqualTo(MAX_TRIALS + 24);
        Map<Object, Integer> runsOf = new HashMap<>();
        for (Map<String, Object> t : trials.subList(MAX_TRIALS, trials.size())) {
            if (t.get("repeatOf") == null) {
                @SuppressWarnings("unchecked")
                List<Integer> groups = (List<Integer>) ((Map<String, Object>) t.get("candidate")).get("groups");
                assertThat(groups).as("a new configuration after the search is a separate twin: every task alone")
                        .doesNotHaveDuplicates();
                assertThat((Integer) t.get("replicate")).isZero();
            } else {
                assertThat((Integer) t.get("replicate")).as("on replicates after the search's").isBetween(1, 3);
            }
        }
        trials.stream().filter(t -> "complete".equals(t.get("state")))
                .forEach(t -> runsOf.merge(t.get("repeatOf") == null ? t.get("id") : t.get("repeatOf"), 1, Integer::sum));

        JsonPath report = given().queryParam("format", "json").get("/api/studies/{id}/report", id).then()
                .statusCode(200).extract().jsonPath();
        Map<String, Object> recommended = report.getMap("recommendation.fewestModels");
        assertThat(recommended).as(report.getString("recommendation.fewestModelsReason")).isNotNull();
        assertThat(recommended.get("runs")).as("the recommendation rests on the confirmation's runs").isEqualTo(4);
        assertThat(runsOf.get(recommended.get("trialId"))).isEqualTo(4);
        assertThat(report.getString("recommendation.fewestModelsReason")).endsWith("confirmed on 4 runs after the search");
        for (Map<String, Object> r : report.<Map<String, Object>>getList("references")) {
            if (r.get("trialId") != null) {
                assertThat((Integer) r.get("runs")).as("a reference is confirmed with what it is compared with")
                        .isGreaterThanOrEqualTo(2);
            }
        }
        String verdict = report.getString("recommendation.verdict");
        assertThat(verdict).containsAnyOf("Sharing helps", "No significant gain");
        if (!verdict.contains("single paired run")) {
            assertThat(verdict).containsPattern("over [2-4] paired runs");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void tunedTwinsTryTheShortlistsSharingWithItsReferencesSettings() throws Exception {
        String yaml = YAML.replace("name: confirmation", "name: tuned-twins").replace("  confirm: 4",
                "  confirm: 4\n  tuned-twins: true");
        long id = TestStudies.post(yaml, true).then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath study = TestStudies.awaitFinished(id, Duration.ofMinutes(8));
        assertThat(study.getString("state")).as("error: %s", study.getString("error")).isEqualTo("completed");

        List<Map<String, Object>> trials = given().queryParam("size", 200).get("/api/studies/{id}/trials", id)
                .then().statusCode(200).extract().jsonPath().getList("items");
        // allowance: (confirm - repeats) x (3 + 3 tasks) + confirm x 3 separate and 3 tuned twins = 36 runs
        assertThat(trials).hasSizeGreaterThan(MAX_TRIALS).hasSizeLessThanOrEqualTo(MAX_TRIALS + 36);
        Map<Object, Map<String, Object>> candidateOf = new HashMap<>();
        trials.forEach(t -> candidateOf.put(t.get("id"), (Map<String, Object>) t.get("candidate")));
        List<Map<String, Object>> searched = trials.subList(0, MAX_TRIALS).stream().map(t -> candidateOf.get(t.get("id")))
                .toList();
        JsonPath report = given().queryParam("format", "json").get("/api/studies/{id}/report", id).then()
                .statusCode(200).extract().jsonPath();
        // the references a twin was made for may since have moved (the confirmation's runs move them), so its
        // settings are those of a configuration that trains a task alone, or the fixed baseline's
        dev.chorus.mtl.TrainSettings baseline = dev.chorus.spec.SpecParser.parse(yaml, java.nio.file.Path.of(".")).baseline();
        List<Object> referenceSettings = new java.util.ArrayList<>(List.of(Map.of("trunkWidth", baseline.trunkWidth(),
                "trunkDepth", baseline.trunkDepth(), "learningRate", (float) baseline.learningRate(), "epochs",
                baseline.epochs(), "batchSize", baseline.batchSize())));
        for (Map<String, Object> c : searched) {
            List<Integer> groups = (List<Integer>) c.get("groups");
            if (groups.stream().anyMatch(g -> java.util.Collections.frequency(groups, g) == 1)) {
                referenceSettings.add(c.get("settings"));
            }
        }
        int tuned = 0;
        for (Map<String, Object> t : trials.subList(MAX_TRIALS, trials.size())) {
            if (t.get("repeatOf") != null) {
                continue;
            }
            Map<String, Object> c = candidateOf.get(t.get("id"));
            if (!((List<Integer>) c.get("groups")).stream().distinct().toList().equals(c.get("groups"))) {
                // not every task alone: a tuned twin, the grouping of a configuration the search tried, with the
                // settings of one of the tasks' references, which the searched configuration did not have
                assertThat(searched).as("a tuned twin's grouping, weighting and weights were searched").anySatisfy(s -> {
                    assertThat(s.get("groups")).isEqualTo(c.get("groups"));
                    assertThat(s.get("weighting")).isEqualTo(c.get("weighting"));
                    assertThat(s.get("weights")).isEqualTo(c.get("weights"));
                    assertThat(s.get("settings")).isNotEqualTo(c.get("settings"));
                });
                assertThat(referenceSettings).as("its settings are those a reference may have").contains(c.get("settings"));
                tuned++;
            }
        }
        assertThat(tuned).as("the shortlist shares a model with other settings than its references'").isPositive();
        assertThat(report.getString("recommendation.verdict")).containsAnyOf("Sharing helps", "No significant gain");
    }
}
