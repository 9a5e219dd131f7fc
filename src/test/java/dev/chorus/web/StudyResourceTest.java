package dev.chorus.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The REST surface: lifecycle moves, paging, and errors that say what is wrong. */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class StudyResourceTest {

    @TestHTTPResource(value = "/", management = true)
    URI management;

    private long create() throws Exception {
        return TestStudies.post(TestStudies.tinyYaml(), false).then().statusCode(201)
                .header("Location", containsString("/api/studies/"))
                .body("state", equalTo("created"), "tasks.name", hasItem("a2"))
                .extract().jsonPath().getLong("id");
    }

    @Test
    void lifecycleMovesAndTheVerbatimFile() throws Exception {
        long id = create();
        given().get("/api/studies/{id}/spec", id).then().statusCode(200).body(equalTo(TestStudies.tinyYaml()));
        given().post("/api/studies/{id}/pause", id).then().statusCode(409)
                .body("error", containsString("created and cannot become paused"));
        given().post("/api/studies/{id}/start", id).then().statusCode(200).body("state", equalTo("running"));
        given().post("/api/studies/{id}/pause", id).then().statusCode(200).body("state", equalTo("paused"));
        given().post("/api/studies/{id}/cancel", id).then().statusCode(200).body("state", equalTo("cancelled"));
        given().post("/api/studies/{id}/start", id).then().statusCode(409).body("error", containsString("finished"));
        given().get("/api/studies").then().statusCode(200).body("id", hasItem((int) id));
    }

    @Test
    void theListPagesByKeysetWhenAskedAndSaysHowManyThereAre() throws Exception {
        long a = create();
        long b = create();
        long c = create();
        int total = Integer.parseInt(given().get("/api/studies").then().statusCode(200)
                .body("id", hasItems((int) a, (int) b, (int) c)).extract().header("X-Total-Count"));
        assertThat(total).isGreaterThanOrEqualTo(3);
        given().queryParam("size", 2).get("/api/studies").then().statusCode(200)
                .header("X-Total-Count", String.valueOf(total)).body("id", contains((int) c, (int) b));
        given().queryParam("size", 2).queryParam("after", b).get("/api/studies").then().statusCode(200)
                .body("id[0]", equalTo((int) a)).body("size()", lessThanOrEqualTo(2));
        given().queryParam("size", 0).get("/api/studies").then().statusCode(400)
                .body("error", containsString("size must be between 1 and 200"));
        given().queryParam("after", "x").get("/api/studies").then().statusCode(400)
                .body("error", containsString("after"));
    }

    @Test
    void anInvalidFileIsRefusedWithLineAndField() {
        String yaml = "name: bad\nseed: 1\ntasks:\n  - { name: a, type: binery }\n";
        TestStudies.post(yaml, false)
                .then().statusCode(400)
                .body("error", containsString("not valid"))
                .body("problems.toString()", containsString("line 4"))
                .body("problems.toString()", containsString("binery"))
                .body(not(containsString("Exception")));
        TestStudies.post("  ", false).then().statusCode(400);
        TestStudies.post("name: [unclosed", false)
                .then().statusCode(400).body("problems.toString()", containsString("line"));
    }

    @Test
    void unknownIdsAndBadPagesSayWhatIsWrong() throws Exception {
        given().get("/api/studies/999999").then().statusCode(404).body("error", equalTo("no study with id 999999"));
        given().get("/api/trials/999999").then().statusCode(404);
        given().get("/api/studies/abc").then().statusCode(404);
        long id = create();
        given().queryParam("size", 0).get("/api/studies/{id}/trials", id).then().statusCode(400)
                .body("error", containsString("size must be between 1 and 500"));
        given().queryParam("size", 10).get("/api/studies/{id}/trials", id).then().statusCode(200)
                .body("total", equalTo(0));
        given().get("/api/studies/{id}/pareto", id).then().statusCode(200).body("members.size()", equalTo(0));
    }

    @Test
    void aMisspelledFieldIsRefusedNotDropped() throws Exception {
        long id = create();
        given().contentType("application/json").body("{\"groups\": [[\"a1\", \"a2\", \"c1\"]], \"weigths\": {\"a1\": 2}}")
                .post("/api/studies/{id}/trials", id).then().statusCode(400)
                .body("error", containsString("does not know"))
                .body("problems[0]", containsString("unknown field 'weigths'"))
                .body("problems[0]", containsString("weights"));
    }

    @Test
    void aUserCandidateBecomesAWaitingTrialOnce() throws Exception {
        long id = create();
        String candidate = """
                {"groups": [["a1", "a2"], ["c1"]], "weighting": "fixed", "weights": {"a1": 2.0}, "epochs": 3}""";
        given().contentType("application/json").body(candidate).post("/api/studies/{id}/trials", id)
                .then().statusCode(201)
                .header("Location", containsString("/api/trials/"))
                .body("state", equalTo("waiting"), "candidate.groups", org.hamcrest.Matchers.contains(0, 0, 1),
                        "candidate.weights", org.hamcrest.Matchers.contains(2.0f, 1.0f, 1.0f),
                        "candidate.settings.epochs", equalTo(3), "generation", equalTo(0));
        given().queryParam("size", 10).get("/api/studies/{id}/trials", id).then().body("total", equalTo(1));
        given().contentType("application/json").body(candidate).post("/api/studies/{id}/trials", id)
                .then().statusCode(409).body("error", containsString("trial 0 of study " + id + " already has"));
    }

    @Test
    void anInvalidUserCandidateListsEveryProblem() throws Exception {
        long id = create();
        given().contentType("application/json")
                .body("""
                        {"groups": [["a1", "zz"], ["a1"]], "weighting": "magic", "trunkWidth": 999, "epochs": 50}""")
                .post("/api/studies/{id}/trials", id)
                .then().statusCode(400)
                .body("error", containsString("candidate is not valid"))
                .body("problems", hasItem(containsString("groups[0]: unknown task 'zz'")))
                .body("problems", hasItem(containsString("task 'a1' is already in groups[0]")))
                .body("problems", hasItem(containsString("tasks [a2, c1] are in no model")))
                .body("problems", hasItem(containsString("weighting: 'magic' is not in this study's search space")))
                .body("problems", hasItem(containsString("trunkWidth: 999")))
                .body("problems", hasItem(containsString("epochs: 50 is outside this study's search space; allowed: 2..3")));
        given().contentType("application/json").body("{}").post("/api/studies/{id}/trials", id)
                .then().statusCode(400).body("problems", hasItem(containsString("groups: required")));
    }

    @Test
    void malformedBodiesAndWrongMediaTypesGetAReadable4xx() throws Exception {
        long id = create();
        given().contentType("application/json").body("{\"groups\": [[\"a1\"").post("/api/studies/{id}/trials", id)
                .then().statusCode(400).body("error", containsString("not valid JSON"))
                .body(not(containsString("at dev.")));
        given().contentType("application/json").body("{\"groups\": 5}").post("/api/studies/{id}/trials", id)
                .then().statusCode(400).body("error", containsString("field 'groups'"))
                .body(not(containsString("at com.")));
        given().contentType("image/png").body(new byte[] {1, 2}).post("/api/studies")
                .then().statusCode(415);
    }

    @Test
    void openApiDocumentDescribesTheApi() {
        given().get(management.resolve("/q/openapi")).then().statusCode(200).body(containsString("/api/studies/{id}/pareto"));
    }

    @Test
    void keysetPagesAndSampledHypervolumeSayWhatIsWrong() throws Exception {
        long id = create();
        String trials = "/api/studies/{id}/trials";
        given().get(trials + "?after=3&before=5", id).then().statusCode(400)
                .body("error", containsString("after or before, not both"));
        given().get(trials + "?page=2&after=3", id).then().statusCode(400)
                .body("error", containsString("give page or after, not both"));
        given().get(trials + "?after=99999", id).then().statusCode(400)
                .body("problems.toString()", containsString("the study has no trial 99999"));
        given().get(trials + "?after=-1", id).then().statusCode(400).body("error", containsString("after"));
        given().get("/api/studies/{id}/hypervolume?points=1", id).then().statusCode(400)
                .body("error", containsString("points"));
        given().get("/api/studies/{id}/hypervolume?points=2", id).then().statusCode(200).body("history.size()",
                equalTo(0));
    }
}
