package dev.chorus.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.chorus.TestStudies;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tokens, roles, sign-in and cross-site protection on a Chorus that trusts nobody for being local
 * ({@link AuthProfile}): every request below proves who it is or is refused.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
class AuthTest {

    /** The management interface: health, metrics and the OpenAPI document. */
    @TestHTTPResource(value = "/", management = true)
    URI management;

    static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    static String token(String name, String role) {
        return as(AuthProfile.ADMIN).contentType(ContentType.JSON).body(Map.of("name", name, "role", role))
                .post("/api/tokens").then().statusCode(201).header("Cache-Control", "no-store")
                .body("role", equalTo(role)).body("token", startsWith("chorus_")).extract().path("token");
    }

    static long study(String token) {
        return as(token).contentType("application/yaml")
                .body(TestStudies.tinyYaml().getBytes(StandardCharsets.UTF_8)).post("/api/studies")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void withoutATokenOnlySignInAndHealthAnswer() {
        given().get("/api/studies").then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"))
                .body("error", containsString("Authorization: Bearer"));
        given().contentType("application/yaml").body("name: x".getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/studies").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("worker", "w", "waitSeconds", 0)).post("/api/workers/claim")
                .then().statusCode(401);
        given().redirects().follow(false).accept("text/html").get("/studies/1").then().statusCode(303)
                .header("Location", containsString("/sign-in?next=%2Fstudies%2F1"));
        given().get("/sign-in").then().statusCode(200).body(containsString("API token"));
        given().get(management.resolve("/q/health/live")).then().statusCode(200);
        given().header("Authorization", "Basic YWxpY2U6c2VjcmV0").get("/api/studies").then().statusCode(401)
                .body("error", containsString("'Bearer <token>'"));
        given().header("Authorization", "Bearer chorus_nothing").get("/api/studies").then().statusCode(401)
                .body("error", containsString("unknown or was revoked"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyEndpointInTheApiDocumentRefusesAStranger() {
        Map<String, Map<String, Object>> paths = given().accept("application/json").get(management.resolve("/q/openapi?format=json"))
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        java.util.Set<String> open = java.util.Set.of("GET /sign-in", "POST /sign-in", "POST /sign-out");
        int checked = 0;
        for (var path : paths.entrySet()) {
            String concrete = path.getKey().replaceAll("\\{[^}]+}", "1");
            for (String method : path.getValue().keySet()) {
                String call = method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey();
                if (open.contains(call) || !java.util.List.of("GET", "POST", "PUT", "DELETE", "PATCH")
                        .contains(method.toUpperCase(java.util.Locale.ROOT))) {
                    continue;
                }
                // with a body of the type the endpoint takes: a wrong type is a 415 before anyone is asked
                Map<String, Object> operation = (Map<String, Object>) path.getValue().get(method);
                Map<String, Object> body = (Map<String, Object>) operation.get("requestBody");
                RequestSpecification request = given().accept("*/*");
                if (body != null) {
                    String type = ((Map<String, Object>) body.get("content")).keySet().iterator().next();
                    request = request.contentType(type).body("{}".getBytes(StandardCharsets.UTF_8));
                }
                int status = request.request(method.toUpperCase(java.util.Locale.ROOT), concrete).statusCode();
                assertThat(status).as(call + " without a token").isEqualTo(401);
                checked++;
            }
        }
        assertThat(checked).as("endpoints checked").isGreaterThan(30);
    }

    @Test
    void rolesNestAndWorkersOnlySpeakTheProtocol() {
        String viewer = token("viewer-1", "viewer");
        String operator = token("operator-1", "operator");
        String worker = token("worker-1", "worker");

        as(viewer).get("/api/me").then().statusCode(200).body("name", equalTo("viewer-1")).body("role", equalTo("viewer"));
        as(viewer).get("/api/studies").then().statusCode(200);
        as(viewer).contentType("application/yaml").body("name: x".getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/studies").then().statusCode(403)
                .body("error", containsString("'viewer-1' (viewer) may not do this; it needs one of the roles operator"));
        long id = study(operator);
        as(viewer).get("/api/studies/{id}", id).then().statusCode(200);
        as(operator).post("/api/studies/{id}/start", id).then().statusCode(200);
        as(operator).post("/api/studies/{id}/pause", id).then().statusCode(200);
        as(operator).get("/api/tokens").then().statusCode(403).body("error", containsString("admin"));
        as(operator).contentType(ContentType.JSON).body(Map.of("name", "mine", "role", "admin")).post("/api/tokens")
                .then().statusCode(403);

        as(worker).get("/api/studies").then().statusCode(403).body("error", containsString("(worker)"));
        as(worker).get("/api/studies/{id}/split", id).then().statusCode(200);
        as(worker).contentType(ContentType.JSON).body(Map.of("worker", "w", "waitSeconds", 0))
                .post("/api/workers/claim").then().statusCode(org.hamcrest.Matchers.oneOf(200, 204));
        as(AuthProfile.WORKER).contentType(ContentType.JSON).body(Map.of("worker", "w", "waitSeconds", 0))
                .post("/api/workers/claim").then().statusCode(org.hamcrest.Matchers.oneOf(200, 204));
        as(viewer).contentType(ContentType.JSON).body(Map.of("worker", "w", "waitSeconds", 0))
                .post("/api/workers/claim").then().statusCode(403);
        as(operator).contentType(ContentType.JSON).body(Map.of("worker", "w", "waitSeconds", 0))
                .post("/api/workers/claim").then().statusCode(403);
        as(AuthProfile.WORKER).get("/api/tokens").then().statusCode(403);
        as(AuthProfile.ADMIN).get("/api/me").then().statusCode(200).body("role", equalTo("admin"))
                .body("grants", org.hamcrest.Matchers.hasItems("viewer", "operator", "admin", "worker"));
    }

    @Test
    void aWorkerTokenCarriesATrialThroughTheProtocol() {
        long id = study(AuthProfile.ADMIN);
        as(AuthProfile.ADMIN).post("/api/studies/{id}/start", id).then().statusCode(200);
        as(AuthProfile.ADMIN).contentType(ContentType.JSON).body("{\"groups\": [[\"a1\", \"a2\", \"c1\"]]}")
                .post("/api/studies/{id}/trials", id).then().statusCode(201);
        io.restassured.path.json.JsonPath claim = null;
        for (int i = 0; i < 20 && claim == null; i++) { // other tests' studies may hold waiting trials too
            Response r = as(AuthProfile.WORKER).contentType(ContentType.JSON)
                    .body(Map.of("worker", "w", "waitSeconds", 2)).post("/api/workers/claim");
            r.then().statusCode(200);
            if (r.jsonPath().getLong("studyId") == id) {
                claim = r.jsonPath();
            } else {
                as(AuthProfile.WORKER).contentType(ContentType.JSON).body(Map.of("claim", r.jsonPath().getString("claim"),
                        "reason", "not this test's")).post("/api/trials/{t}/release", r.jsonPath().getLong("trialId"));
            }
        }
        assertThat(claim).as("a trial of the started study").isNotNull();
        long trial = claim.getLong("trialId");
        String c = claim.getString("claim");
        as(AuthProfile.WORKER).get("/api/trials/{t}/assignment?claim=" + c, trial).then().statusCode(200);
        as(AuthProfile.WORKER).contentType(ContentType.JSON).body(Map.of("claim", c))
                .post("/api/trials/{t}/heartbeat", trial).then().statusCode(200);
        as(AuthProfile.WORKER).contentType(ContentType.JSON)
                .body(Map.of("claim", c, "step", 0, "values", Map.of("c1", 0.5)))
                .post("/api/trials/{t}/intermediate", trial).then().statusCode(200);
        as(AuthProfile.WORKER).get("/api/trials/{t}", trial).then().statusCode(403);
        as(AuthProfile.WORKER).contentType(ContentType.JSON).body(Map.of("claim", c, "reason", "done here"))
                .post("/api/trials/{t}/release", trial).then().statusCode(200);
    }

    @Test
    void aTokenIsShownOnceAndRevokedAtOnce() {
        Response created = as(AuthProfile.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "ci", "role", "operator")).post("/api/tokens");
        String secret = created.then().statusCode(201).extract().path("token");
        long id = created.jsonPath().getLong("id");
        String list = as(AuthProfile.ADMIN).get("/api/tokens").then().statusCode(200).extract().asString();
        assertThat(list).as("secrets are never listed").doesNotContain(secret).contains("\"ci\"")
                .contains(secret.substring(0, 13));

        as(secret).get("/api/studies").then().statusCode(200);
        as(AuthProfile.ADMIN).get("/api/tokens").then().body("find { it.id == " + id + " }.lastUsedAt",
                org.hamcrest.Matchers.notNullValue());
        as(AuthProfile.ADMIN).delete("/api/tokens/{id}", id).then().statusCode(200)
                .body("revokedAt", org.hamcrest.Matchers.notNullValue());
        as(secret).get("/api/studies").then().statusCode(401).body("error", containsString("revoked"));
        as(AuthProfile.ADMIN).delete("/api/tokens/{id}", id).then().statusCode(200);
        as(AuthProfile.ADMIN).delete("/api/tokens/{id}", 987654321).then().statusCode(404);
    }

    @Test
    void aBadTokenRequestSaysWhatToFix() {
        as(AuthProfile.ADMIN).contentType(ContentType.JSON).body(Map.of("role", "root")).post("/api/tokens")
                .then().statusCode(400)
                .body("problems", org.hamcrest.Matchers.hasItems(containsString("name: required"),
                        containsString("role must be one of viewer, operator, admin, worker, not 'root'")));
        as(AuthProfile.ADMIN).contentType(ContentType.JSON).body("[]").post("/api/tokens").then().statusCode(400);
    }

    @Test
    void theDashboardSignsInWithACookieAndWritesNeedTheCsrfHeader() {
        String operator = token("browser", "operator");
        Response signedIn = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("token", operator).formParam("next", "/new").post("/sign-in");
        signedIn.then().statusCode(303).header("Location", org.hamcrest.Matchers.endsWith("/new"));
        String session = signedIn.getCookie("chorus_session");
        String csrf = signedIn.getCookie("chorus_csrf");
        assertThat(session).as("the cookie holds a session id, not the token").startsWith("chorus-session_")
                .doesNotContain(operator);
        assertThat(csrf).startsWith("chorus_").isNotEqualTo(session);
        assertThat(signedIn.getDetailedCookie("chorus_session").isHttpOnly()).isTrue();
        assertThat(signedIn.getDetailedCookie("chorus_session").getSameSite()).isEqualToIgnoringCase("Strict");
        assertThat(signedIn.getDetailedCookie("chorus_csrf").isHttpOnly()).isFalse();

        given().cookie("chorus_session", session).get("/api/studies").then().statusCode(200);
        given().cookie("chorus_session", session).accept("text/html").get("/new").then().statusCode(200);
        long id = study(operator);
        given().cookie("chorus_session", session).cookie("chorus_csrf", csrf).post("/api/studies/{id}/start", id)
                .then().statusCode(403).body("error", containsString("X-CSRF-Token"));
        given().cookie("chorus_session", session).cookie("chorus_csrf", csrf).header("X-CSRF-Token", "guess")
                .post("/api/studies/{id}/start", id).then().statusCode(403);
        given().cookie("chorus_session", session).cookie("chorus_csrf", csrf).header("X-CSRF-Token", csrf)
                .post("/api/studies/{id}/start", id).then().statusCode(200).body("state", equalTo("running"));

        Response out = given().redirects().follow(false).post("/sign-out");
        out.then().statusCode(303);
        assertThat(out.getHeaders().getValues("Set-Cookie")).anyMatch(c -> c.startsWith("chorus_session=;"))
                .allMatch(c -> c.contains("Max-Age=0"));
    }

    @Test
    void signInRefusesUnknownAndWorkerTokensAndForeignRedirects() {
        given().redirects().follow(false).contentType(ContentType.URLENC).formParam("token", "chorus_wrong")
                .formParam("next", "/").post("/sign-in").then().statusCode(303)
                .header("Location", containsString("/sign-in?failed=unknown"));
        given().redirects().follow(false).contentType(ContentType.URLENC).formParam("token", AuthProfile.WORKER)
                .post("/sign-in").then().statusCode(303).header("Location", containsString("failed=worker"));
        given().redirects().follow(false).contentType(ContentType.URLENC).formParam("token", AuthProfile.ADMIN)
                .formParam("next", "//evil.example/x").post("/sign-in").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.matchesRegex("https?://[^/]+/"));
        given().get("/sign-in?failed=worker&next=/x\"><script>").then().statusCode(200)
                .body(containsString("Worker tokens")).body(org.hamcrest.Matchers.not(containsString("<script>")));
        String revoked = token("gone", "viewer");
        as(AuthProfile.ADMIN).delete("/api/tokens/{id}", as(AuthProfile.ADMIN).get("/api/tokens").jsonPath()
                .getLong("find { it.name == 'gone' }.id")).then().statusCode(200);
        given().redirects().follow(false).cookie("chorus_session", revoked).accept("text/html").get("/")
                .then().statusCode(303).header("Location", containsString("failed=expired"));
    }

    @Test
    void writesFromAnotherSiteAreRefusedWhateverTheirCredential() {
        String operator = token("cross", "operator");
        long id = study(operator);
        as(operator).header("Origin", "http://evil.example").post("/api/studies/{id}/start", id).then()
                .statusCode(403).body("error", containsString("cross-site request refused"));
        as(operator).header("Origin", "null").post("/api/studies/{id}/start", id).then().statusCode(403);
        String self = io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port;
        as(operator).header("Origin", self).post("/api/studies/{id}/start", id).then().statusCode(200);
        as(operator).header("Origin", "http://evil.example").get("/api/studies/{id}", id).then().statusCode(200);
    }
}
