package dev.chorus.study;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.TestStudies;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Racing (evaluation.repeats): a configuration about to enter the front is run again on new seeds and
 * train/validation resamples before it may; repeats count toward the budget, show as repeats of one
 * configuration, and the front's numbers are means over the runs with 95 % intervals.
 */
@QuarkusTest
class RacingTest {

    private static final String YAML = TestStudies.tinyYaml().replace("name: tiny", "name: racing")
            .replace("  repeats: 1", "  repeats: 3").replace("max-trials: 8", "max-trials: 24")
            .replace("  stability: false", "  stability: true\n  confirm: off"); // ConfirmationTest covers it

    @Test
    void frontMembersAreRacedOnRepeatsAndCarryIntervals() throws Exception {
        long id = TestStudies.post(YAML, true).then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath study = TestStudies.awaitFinished(id, Duration.ofMinutes(8));
        assertThat(study.getString("state")).as("error: %s", study.getString("error")).isEqualTo("completed");

        List<Map<String, Object>> trials = given().queryParam("size", 100).get("/api/studies/{id}/trials", id)
                .then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(trials).as("repeats count toward the budget").hasSize(24);
        Map<Object, Map<String, Object>> byId = new HashMap<>();
        trials.forEach(t -> byId.put(t.get("id"), t));
        Set<Object> firstCandidates = new HashSet<>();
        Map<Object, Set<Object>> replicates = new HashMap<>();
        int repeats = 0;
        for (Map<String, Object> t : trials) {
            if (t.get("repeatOf") == null) {
                assertThat(t.get("replicate")).isEqualTo(0);
                assertThat(firstCandidates.add(t.get("candidate"))).as("first runs propose new configurations").isTrue();
                continue;
            }
            repeats++;
            Map<String, Object> first = byId.get(t.get("repeatOf"));
            assertThat(t.get("candidate")).as("a repeat trains its first run's configuration").isEqualTo(first.get("candidate"));
            assertThat(replicates.computeIfAbsent(t.get("repeatOf"), k -> new HashSet<>()).add(t.get("replicate")))
                    .as("replicates of one configuration are distinct").isTrue();
            assertThat((Integer) t.get("replicate")).isBetween(1, 2);
            if ("complete".equals(t.get("state")) && "complete".equals(first.get("state"))) {
                assertThat(t.get("results")).as("a repeat trains on another seed and resample")
                        .isNotEqualTo(first.get("results"));
            }
        }
        assertThat(repeats).as("some configuration was raced").isPositive();

        JsonPath front = given().get("/api/studies/{id}/pareto", id).then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> members = front.getList("members");
        assertThat(members).isNotEmpty();
        for (Map<String, Object> m : members) {
            int runs = (Integer) m.get("runs");
            Map<?, ?> test = (Map<?, ?>) m.get("testDeltaMInterval");
            assertThat(test.get("runs")).isEqualTo(runs);
            Object trialId = m.get("trialId");
            int scheduled = 1 + replicates.getOrDefault(trialId, Set.of()).size();
            assertThat(scheduled).as("a member raced on as many runs as the budget allowed").isLessThanOrEqualTo(3);
            if (runs >= 2) {
                double low = ((Number) test.get("low")).doubleValue();
                double high = ((Number) test.get("high")).doubleValue();
                assertThat(low).isLessThanOrEqualTo(((Number) test.get("mean")).doubleValue()).isLessThan(high);
            } else {
                assertThat(test.get("low")).as("one run states no interval").isNull();
            }
        }
        assertThat(members).as("at least one member rests on three runs")
                .anySatisfy(m -> assertThat(m.get("runs")).isEqualTo(3));

        JsonPath report = given().queryParam("format", "json").get("/api/studies/{id}/report", id).then()
                .statusCode(200).extract().jsonPath();
        assertThat(report.getString("recommendation.verdict")).containsAnyOf("Sharing helps", "No significant gain");
        // each task's tuned reference: the fixed baseline, or a configuration training it alone, raced like a
        // front member before it may be trusted
        List<Map<String, Object>> references = report.getList("references");
        assertThat(references).extracting(r -> r.get("task")).containsExactly("a1", "a2", "c1");
        for (Map<String, Object> r : references) {
            if (r.get("trialId") == null) {
                assertThat(r.get("tuning")).isNull();
                continue;
            }
            Map<String, Object> config = byId.get(r.get("trialId"));
            List<?> groups = (List<?>) ((Map<?, ?>) config.get("candidate")).get("groups");
            int index = List.of("a1", "a2", "c1").indexOf((String) r.get("task"));
            assertThat(groups.stream().filter(g -> g.equals(groups.get(index))).count())
                    .as("a reference trains its task alone").isEqualTo(1);
            assertThat((Integer) r.get("runs")).as("only a fully raced configuration displaces the baseline").isEqualTo(3);
            assertThat(((Number) ((Map<?, ?>) ((Map<?, ?>) r.get("tuning")).get("validation")).get("mean")).doubleValue())
                    .as("chosen only when it beats the fixed baseline on validation").isPositive();
        }
        for (Map<String, Object> m : report.<Map<String, Object>>getList("front")) {
            Map<?, ?> sharing = (Map<?, ?>) m.get("sharing");
            assertThat((Integer) sharing.get("runs")).as("paired runs").isBetween(1, (Integer) m.get("runs"));
            assertThat(((Map<?, ?>) sharing.get("tasks")).keySet().stream().map(Object::toString).toList()).containsExactly("a1", "a2", "c1");
        }
        assertThat(report.getString("reproduction.folds")).isNotNull();
        assertThat(report.getInt("reproduction.folds")).as("300 rows: folds: auto cross-validates, k = repeats")
                .isEqualTo(3);
        assertThat(report.getString("reproduction.trialSeeds")).contains("k-fold cross-validation, k = 3");
        // the stability check: after the budget, the recommendation's variants on its own replicates
        Map<String, Object> recommended = report.getMap("recommendation.fewestModels");
        if ((Integer) recommended.get("models") == 3) { // separate models weigh no loss against another
            assertThat(report.getString("stability.status")).isEqualTo("not-applicable");
            return;
        }
        assertThat(report.getString("stability.status")).as(report.getString("stability.summary")).isEqualTo("checked");
        assertThat(report.getInt("stability.trialNumber")).isEqualTo(recommended.get("number"));
        assertThat(report.getString("stability.summary")).containsAnyOf("Stable:", "Sensitive:", "Not established:");
        List<Map<String, Object>> variants = report.getList("stability.variants");
        assertThat(variants).as("two neighbouring weightings at least").hasSizeGreaterThanOrEqualTo(2);
        Set<Object> listed = new HashSet<>();
        trials.forEach(t -> listed.add(t.get("number")));
        for (Map<String, Object> v : variants) {
            assertThat(v.get("planned")).as("one run per run of the recommendation").isEqualTo(recommended.get("runs"));
            assertThat((Integer) v.get("runs")).isBetween(1, (Integer) v.get("planned"));
            assertThat(v.get("difference")).isNotNull();
            List<Integer> numbers = (List<Integer>) v.get("trials");
            assertThat(numbers).as("variants are numbered after the search and left out of its trial list")
                    .allSatisfy(n -> assertThat(listed).doesNotContain(n)).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(24));
        }
        JsonPath after = given().get("/api/studies/{id}", id).then().statusCode(200).extract().jsonPath();
        assertThat(after.getInt("finishedTrials")).as("the variants take no trial budget").isEqualTo(24);
    }

    @Test
    void aRepeatResamplesTrainAndValidationAndKeepsTheTestRows() throws Exception {
        long id = TestStudies.post(YAML.replace("  repeats: 3", "  repeats: 3\n  folds: off"), false).then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath first = given().get("/api/studies/{id}/split", id).then().statusCode(200).extract().jsonPath();
        JsonPath second = given().queryParam("replicate", 1).get("/api/studies/{id}/split", id).then().statusCode(200)
                .extract().jsonPath();
        assertThat(second.getList("test")).isEqualTo(first.getList("test"));
        assertThat(second.getList("train")).hasSameSizeAs(first.getList("train")).isNotEqualTo(first.getList("train"));
        given().queryParam("replicate", -1).get("/api/studies/{id}/split", id).then().statusCode(400);
    }

    @Test
    void withFoldsEachReplicateTestsOnItsOwnFold() throws Exception {
        long id = TestStudies.post(YAML.replace("name: racing", "name: folds"), false).then().statusCode(201).extract()
                .jsonPath().getLong("id");
        List<Integer> tested = new java.util.ArrayList<>();
        for (int r = 0; r < 3; r++) {
            JsonPath rows = given().queryParam("replicate", r).get("/api/studies/{id}/split", id).then().statusCode(200)
                    .extract().jsonPath();
            List<Integer> test = rows.getList("test", Integer.class);
            assertThat(test).as("near-equal folds of 300 rows").hasSize(100);
            assertThat(rows.getList("train", Integer.class)).doesNotContainAnyElementsOf(test);
            assertThat(rows.getList("validation", Integer.class)).doesNotContainAnyElementsOf(test);
            tested.addAll(test);
        }
        assertThat(tested).as("every row tested exactly once over the 3 runs")
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 300).boxed().toList());
        JsonPath fourth = given().queryParam("replicate", 3).get("/api/studies/{id}/split", id).then().statusCode(200)
                .extract().jsonPath();
        JsonPath first = given().get("/api/studies/{id}/split", id).then().statusCode(200).extract().jsonPath();
        assertThat(fourth.getList("test")).as("replicate 3 tests on fold 0 of a partition of its own (repeated k-fold)")
                .hasSize(100).isNotEqualTo(first.getList("test"));
    }
}
