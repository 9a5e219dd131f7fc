package dev.chorus.study;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.TestStudies;
import dev.chorus.server.HypervolumeWriter;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import io.restassured.path.json.config.JsonPathConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A small study runs through the real stack: REST, the coordinator's NSGA-II generations, the
 * in-process worker training with DJL, baselines and the Pareto front, all stored in PostgreSQL.
 */
@QuarkusTest
class StudyEndToEndTest {

    @Inject
    HypervolumeWriter hypervolumes;

    @Test
    void aSmallStudyRunsToCompletionWithANonDominatedFrontAndBaselines() throws Exception {
        long id = TestStudies.post(TestStudies.tinyYaml(), true)
                .then().statusCode(201).extract().jsonPath().getLong("id");

        JsonPath study = TestStudies.awaitFinished(id, Duration.ofMinutes(8));
        assertThat(study.getString("state")).as("error: %s", study.getString("error")).isEqualTo("completed");
        assertThat(study.getInt("finishedTrials")).isEqualTo(8);

        JsonPath page = given().queryParam("size", 100).get("/api/studies/{id}/trials", id)
                .then().statusCode(200).extract().jsonPath();
        assertThat(page.getInt("total")).isEqualTo(8);
        List<Map<String, Object>> trials = page.getList("items");
        Map<String, Set<Double>> baselines = new HashMap<>();
        Set<Object> candidates = new HashSet<>();
        for (Map<String, Object> t : trials) {
            assertThat(t.get("state")).isEqualTo("complete");
            assertThat(candidates.add(t.get("candidate"))).as("no candidate is tried twice").isTrue();
            List<Map<String, Object>> results = cast(t.get("results"));
            assertThat(results).extracting(r -> r.get("task")).containsExactlyInAnyOrder("a1", "a2", "c1");
            for (Map<String, Object> r : results) {
                baselines.computeIfAbsent((String) r.get("task"), k -> new HashSet<>())
                        .add(((Number) StudyEndToEndTest.<Map<String, Object>>cast(r.get("validation")).get("baseline")).doubleValue());
            }
        }
        assertThat(baselines).as("every task has one baseline, shared by all trials")
                .allSatisfy((task, values) -> assertThat(values).hasSize(1));
        Map<String, Object> someResult = StudyEndToEndTest.<List<Map<String, Object>>>cast(trials.getFirst().get("results"))
                .getFirst();
        given().get("/api/baselines/{hash}", someResult.get("baselineHash")).then().statusCode(200)
                .body("task", org.hamcrest.Matchers.equalTo(someResult.get("task")))
                .body("validation", org.hamcrest.Matchers.notNullValue()).body("test", org.hamcrest.Matchers.notNullValue());

        assertThat(hypervolumes.awaitIdle(Duration.ofMinutes(1))).as("the hypervolume computed after the last completion")
                .isTrue();
        JsonPath hv = given().get("/api/studies/{id}/hypervolume", id).then().statusCode(200).extract().jsonPath();
        assertThat(hv.getString("method")).startsWith("exact (a sweep for 2 objectives, HV3D for 3, WFG above) while "
                + "that costs at most 20,000,000 steps, else a Monte-Carlo estimate").contains(
                "share = hypervolume / volume of the box");
        List<Float> values = hv.getList("history.value", Float.class);
        assertThat(values).as("at most one point per complete trial: completions close together share one")
                .isNotEmpty().hasSizeLessThanOrEqualTo(8);
        assertThat(hv.getInt("history[-1].trials")).as("the last point counts every complete trial").isEqualTo(8);
        assertThat(hv.getList("history.exact", Boolean.class)).as("4 objectives, a front of a few").containsOnly(true);
        assertThat(hv.getList("history.errorShare", Float.class)).containsOnly(0f);
        for (int i = 1; i < values.size(); i++) {
            assertThat(values.get(i)).as("the front only grows").isGreaterThanOrEqualTo(values.get(i - 1));
        }
        Number firstTrial = (Number) trials.getFirst().get("id");
        List<Object> epochs = given().get("/api/trials/{id}/intermediate", firstTrial.longValue()).then()
                .statusCode(200).extract().jsonPath().getList("$");
        assertThat(epochs).as("a validation value per epoch").isNotEmpty();

        JsonPath front = given().get("/api/studies/{id}/pareto", id).then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> members = front.getList("members");
        assertThat(members).isNotEmpty();
        JsonPathConfig doubles = new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE);
        shareOfTheReferenceBox(given().get("/api/studies/{id}/hypervolume", id).then().extract().jsonPath(doubles),
                given().get("/api/studies/{id}/pareto", id).then().extract().jsonPath(doubles).getList("members"));
        Set<Integer> onFront = new HashSet<>(front.getList("members.number", Integer.class));
        for (Map<String, Object> m : members) {
            double[] mine = objectives(m);
            for (Map<String, Object> other : trials) {
                assertThat(dominates(objectives(other), mine))
                        .as("trial %s dominates front member %s", other.get("number"), m.get("number")).isFalse();
            }
        }
        for (Map<String, Object> t : trials) {
            if (!onFront.contains(((Number) t.get("number")).intValue())) {
                boolean dominated = members.stream().anyMatch(m -> dominates(objectives(m), objectives(t)));
                boolean duplicate = members.stream().anyMatch(m -> java.util.Arrays.equals(objectives(m), objectives(t)));
                assertThat(dominated || duplicate).as("trial %s is off the front, so something dominates it",
                        t.get("number")).isTrue();
            }
        }
    }

    /**
     * Shares lie in [0, 1] and never fall; the last is the final front's hypervolume over the volume of the box
     * from the reference point to the front's ideal point (the best of each objective over its members).
     */
    private static void shareOfTheReferenceBox(JsonPath hv, List<Map<String, Object>> members) {
        List<Double> shares = hv.getList("history.share", Double.class);
        assertThat(shares).isNotEmpty().doesNotContainNull().allSatisfy(s -> assertThat(s).isBetween(0.0, 1.0));
        for (int i = 1; i < shares.size(); i++) {
            assertThat(shares.get(i)).as("the share only grows").isGreaterThanOrEqualTo(shares.get(i - 1));
        }
        double[] reference = hv.getList("reference", Double.class).stream().mapToDouble(Double::doubleValue).toArray();
        List<double[]> points = members.stream().map(StudyEndToEndTest::forHypervolume).toList();
        double[] ideal = new double[reference.length];
        double box = 1;
        for (int i = 0; i < ideal.length; i++) {
            int objective = i;
            ideal[i] = points.stream().mapToDouble(p -> p[objective]).max().orElseThrow();
            double edge = ideal[i] - reference[i];
            box *= edge > 0 ? edge : 1; // an objective no member beats adds no factor
        }
        double volume = dev.chorus.search.Hypervolume.of(points, reference);
        assertThat(hv.getList("ideal", Double.class)).containsExactly(java.util.Arrays.stream(ideal).boxed()
                .toArray(Double[]::new));
        assertThat(hv.getDouble("boxVolume")).isCloseTo(box, org.assertj.core.data.Percentage.withPercentage(1e-9));
        assertThat(hv.getList("history.value", Double.class).getLast()).as("the raw value, kept for tools")
                .isCloseTo(volume, org.assertj.core.data.Percentage.withPercentage(1e-9));
        assertThat(shares.getLast()).isCloseTo(Math.min(1, volume / box), org.assertj.core.api.Assertions.within(1e-9));
    }

    /** A member's hypervolume point: each task's validation delta in %, in study order, then minus its models. */
    private static double[] forHypervolume(Map<String, Object> member) {
        Map<String, Double> byTask = new HashMap<>();
        for (Map<String, Object> r : StudyEndToEndTest.<List<Map<String, Object>>>cast(member.get("results"))) {
            byTask.put((String) r.get("task"),
                    ((Number) StudyEndToEndTest.<Map<String, Object>>cast(r.get("validation")).get("delta")).doubleValue());
        }
        return new double[] {byTask.get("a1"), byTask.get("a2"), byTask.get("c1"), -((Number) member.get("models")).intValue()};
    }

    /** Objectives as the study defines them: a1 auc (max), a2 rmse (min), c1 accuracy (max), models (min). */
    private static double[] objectives(Map<String, Object> trialOrMember) {
        Map<String, Double> byTask = new HashMap<>();
        for (Map<String, Object> r : StudyEndToEndTest.<List<Map<String, Object>>>cast(trialOrMember.get("results"))) {
            byTask.put((String) r.get("task"),
                    ((Number) StudyEndToEndTest.<Map<String, Object>>cast(r.get("validation")).get("value")).doubleValue());
        }
        Object models = trialOrMember.containsKey("models") ? trialOrMember.get("models")
                : ((Map<?, ?>) trialOrMember.get("candidate")).get("groups");
        int m = models instanceof Number n ? n.intValue()
                : ((List<?>) models).stream().mapToInt(g -> ((Number) g).intValue()).max().orElseThrow() + 1;
        return new double[] {byTask.get("a1"), -byTask.get("a2"), byTask.get("c1"), -m};
    }

    private static boolean dominates(double[] a, double[] b) {
        boolean better = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] < b[i]) {
                return false;
            }
            better |= a[i] > b[i];
        }
        return better;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
