package dev.chorus.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The dashboard's REST side: its pages, its data endpoints, the trials listing's sort and filter, progress events. */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class DashboardApiTest {

    @TestHTTPResource("/")
    URL root;

    private long create() {
        return TestStudies.post(TestStudies.tinyYaml(), false).then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void pagesAreServedWithTheirScriptsAndEChartsFromItsJar() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("/dashboard/studies.js"));
        given().get("/studies/1").then().statusCode(200).body(containsString("/_static/echarts/6.0.0/dist/echarts.min.js"));
        given().get("/trials/1").then().statusCode(200).body(containsString("/dashboard/trial.js"));
        given().get("/new").then().statusCode(200).body(containsString("/dashboard/new.js"));
        given().get("/_static/echarts/6.0.0/dist/echarts.min.js").then().statusCode(200);
        given().get("/dashboard/study.js").then().statusCode(200);
        given().get("/studies/abc").then().statusCode(404);
    }

    @Test
    void pagesNameTheirScriptsAndStylesByContentSoThatABrowserNeverRunsAnOldReleasesScript() throws Exception {
        for (String page : List.of("/", "/studies/1", "/trials/1", "/new")) {
            String html = given().get(page).then().statusCode(200).extract().asString();
            Matcher named = Pattern.compile("(?:src|href)=\"(/dashboard/[a-z-]+\\.(?:js|css))(\\?v=[0-9a-f]*)?\"")
                    .matcher(html);
            int assets = 0;
            while (named.find()) {
                assets++;
                byte[] served = given().get(named.group(1)).then().statusCode(200)
                        .header("Cache-Control", containsString("immutable")).extract().asByteArray();
                String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(served), 0, 6);
                assertThat(named.group(2)).as("%s on %s", named.group(1), page).isEqualTo("?v=" + hash);
            }
            assertThat(assets).as("scripts and the style sheet of %s", page).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void theOverviewHasProgressActionsAndWhyThereIsNoAffinity() {
        long id = create();
        given().get("/api/dashboard/studies").then().log().ifValidationFails().statusCode(200)
                .body("study.id", hasItem((int) id));
        given().get("/api/dashboard/studies/{id}", id).then().statusCode(200)
                .body("row.study.name", equalTo("tiny"), "row.trials.waiting", equalTo(0),
                        "row.secondsLeft", nullValue(), "row.actions", org.hamcrest.Matchers.contains("start", "cancel"),
                        "row", org.hamcrest.Matchers.hasKey("hypervolumeShare"), "row.hypervolumeShare", nullValue(),
                        "row", org.hamcrest.Matchers.hasKey("hypervolumeBound"), "row.hypervolumeBound", nullValue(),
                        "hypervolume.ideal", nullValue(), "hypervolume.history.size()", equalTo(0),
                        "front.members.size()", equalTo(0), "affinity", nullValue(),
                        "affinityMissing", containsString("does not set search.warm-start"));
        given().get("/api/dashboard/studies/999999").then().statusCode(404);
        given().get("/api/dashboard/example").then().statusCode(200).body(containsString("tasks:"));
    }

    @Test
    void theTrialsListingSortsAndFiltersAndSaysWhatIsWrong() {
        long id = create();
        for (String groups : new String[] {"[[\"a1\", \"a2\", \"c1\"]]", "[[\"a1\"], [\"a2\", \"c1\"]]",
                "[[\"a1\"], [\"a2\"], [\"c1\"]]"}) {
            given().contentType("application/json").body("{\"groups\": " + groups + "}")
                    .post("/api/studies/{id}/trials", id).then().statusCode(201);
        }
        given().queryParam("sort", "-models").get("/api/studies/{id}/trials", id).then().statusCode(200)
                .body("total", equalTo(3), "items.number", org.hamcrest.Matchers.contains(2, 1, 0));
        given().queryParam("state", "failed,complete").get("/api/studies/{id}/trials", id).then().statusCode(200)
                .body("total", equalTo(0), "items.size()", equalTo(0));
        given().queryParam("state", "waiting").queryParam("size", 2).queryParam("page", 1)
                .get("/api/studies/{id}/trials", id).then().statusCode(200)
                .body("total", equalTo(3), "items.number", org.hamcrest.Matchers.contains(2));
        given().queryParam("sort", "speed").get("/api/studies/{id}/trials", id).then().statusCode(400)
                .body("error", containsString("sort must be one of number, deltaM, models, finished"));
        given().queryParam("state", "done").get("/api/studies/{id}/trials", id).then().statusCode(400)
                .body("error", containsString("'done' is none of them"));
    }

    @Test
    void progressEventsStartAtOnceAndFollowTheStudy() throws Exception {
        long id = create();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(root + "api/studies/" + id + "/events"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(20)).build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        Iterator<String> lines = response.body().filter(l -> l.startsWith("data:")).iterator();
        assertThat(lines.next()).contains("\"state\":\"created\"").contains("\"total\":0");
        given().post("/api/studies/{id}/cancel", id).then().statusCode(200);
        assertThat(lines.next()).contains("\"state\":\"cancelled\"");
        response.body().close();
        given().get("/api/studies/999999/events").then().statusCode(404);
    }
}
