package dev.chorus.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.chorus.TestClock;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dashboard sessions on a shared Chorus ({@link AuthProfile}): the cookie holds a session id, not the token;
 * sessions expire (idle and absolute, on the test clock), end on sign-out and with their token, and so do
 * the event streams opened with them; the cookie is Secure when a trusted proxy says the request was https.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
class SessionTest {

    /** Generous for a busy 2-core machine: the streams check every second in tests. */
    private static final Duration STREAM_END = Duration.ofSeconds(60);

    @Inject
    TestClock clock;

    @TestHTTPResource("/")
    URI root;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static Response signIn(String token) {
        return given().redirects().follow(false).contentType(ContentType.URLENC).formParam("token", token)
                .formParam("next", "/").post("/sign-in");
    }

    private static String session(String token) {
        Response signedIn = signIn(token);
        signedIn.then().statusCode(303);
        return signedIn.getCookie(TokenAuthMechanism.SESSION_COOKIE);
    }

    private static int studies(String session) {
        return given().cookie(TokenAuthMechanism.SESSION_COOKIE, session).get("/api/studies").statusCode();
    }

    @Test
    void theCookieHoldsASessionIdThatSignOutEnds() {
        String token = AuthTest.token("session-holder", "viewer");
        String session = session(token);
        assertThat(session).isNotBlank().isNotEqualTo(token).doesNotContain(token);
        assertThat(session(token)).as("a new session each time").isNotEqualTo(session);
        assertThat(studies(session)).isEqualTo(200);
        given().cookie(TokenAuthMechanism.SESSION_COOKIE, token).get("/api/studies").then().statusCode(401);

        given().redirects().follow(false).cookie(TokenAuthMechanism.SESSION_COOKIE, session).post("/sign-out")
                .then().statusCode(303);
        given().cookie(TokenAuthMechanism.SESSION_COOKIE, session).get("/api/studies").then().statusCode(401)
                .body("error", containsString("sign in again"));
        AuthTest.as(token).get("/api/studies").then().statusCode(200);
    }

    @Test
    void revokingATokenEndsItsSessions() {
        String token = AuthTest.token("revoked-with-session", "operator");
        String session = session(token);
        assertThat(studies(session)).isEqualTo(200);
        revoke("revoked-with-session");
        assertThat(studies(session)).isEqualTo(401);
        given().redirects().follow(false).cookie(TokenAuthMechanism.SESSION_COOKIE, session).accept("text/html")
                .get("/").then().statusCode(303).header("Location", containsString("failed=expired"));
    }

    @Test
    void anUnusedSessionExpiresAfterTheIdleTimeout() {
        String session = session(AuthTest.token("idle", "viewer"));
        clock.advance(Duration.ofHours(7).plusMinutes(58));
        assertThat(studies(session)).as("used within 8 h").isEqualTo(200);
        clock.advance(Duration.ofHours(7).plusMinutes(58));
        assertThat(studies(session)).as("the use above counted").isEqualTo(200);
        clock.advance(Duration.ofHours(8));
        assertThat(studies(session)).as("8 h unused").isEqualTo(401);
        clock.reset();
        assertThat(studies(session)).as("ended for good, not only at that time").isEqualTo(401);
    }

    @Test
    void aBusySessionExpiresAfterItsMaximumAge() {
        String session = session(AuthProfile.ADMIN); // the configured admin token has sessions too
        for (int i = 0; i < 23; i++) { // 23 × 7 h = 161 h: used every 7 h, under 7 d old
            clock.advance(Duration.ofHours(7));
            assertThat(studies(session)).as("after %d h", 7 * (i + 1)).isEqualTo(200);
        }
        clock.advance(Duration.ofHours(7)); // 168 h = 7 d
        assertThat(studies(session)).isEqualTo(401);
    }

    @Test
    void theStreamsOfARevokedTokenEnd() throws Exception {
        String token = AuthTest.token("streaming", "viewer");
        long study = AuthTest.study(AuthProfile.ADMIN);
        String session = session(token);
        Stream bearer = stream(study, "Authorization", "Bearer " + token);
        Stream cookie = stream(study, "Cookie", TokenAuthMechanism.SESSION_COOKIE + "=" + session);
        Stream admin = stream(study, "Authorization", "Bearer " + AuthProfile.ADMIN);

        revoke("streaming");
        assertThat(bearer.ended()).succeedsWithin(STREAM_END);
        assertThat(cookie.ended()).succeedsWithin(STREAM_END);
        assertThat(admin.ended()).as("another credential's stream goes on").isNotDone();
        admin.body().close();
    }

    @Test
    void theStreamOfASignedOutSessionEnds() throws Exception {
        String session = session(AuthTest.token("signing-out", "viewer"));
        Stream stream = stream(AuthTest.study(AuthProfile.ADMIN), "Cookie",
                TokenAuthMechanism.SESSION_COOKIE + "=" + session);
        given().redirects().follow(false).cookie(TokenAuthMechanism.SESSION_COOKIE, session).post("/sign-out")
                .then().statusCode(303);
        assertThat(stream.ended()).succeedsWithin(STREAM_END);
    }

    @Test
    void theCookieIsSecureWhenATrustedProxySaysHttps() {
        Response viaProxy = given().redirects().follow(false).header("X-Forwarded-Proto", "https")
                .contentType(ContentType.URLENC).formParam("token", AuthProfile.ADMIN).post("/sign-in");
        viaProxy.then().statusCode(303);
        assertThat(viaProxy.getDetailedCookie(TokenAuthMechanism.SESSION_COOKIE).isSecured()).isTrue();
        assertThat(viaProxy.getDetailedCookie(CrossSiteFilter.CSRF_COOKIE).isSecured()).isTrue();
        assertThat(viaProxy.getDetailedCookie(TokenAuthMechanism.SESSION_COOKIE).isHttpOnly()).isTrue();
        assertThat(viaProxy.getDetailedCookie(TokenAuthMechanism.SESSION_COOKIE).getSameSite())
                .isEqualToIgnoringCase("Strict");

        Response plain = signIn(AuthProfile.ADMIN);
        assertThat(plain.getDetailedCookie(TokenAuthMechanism.SESSION_COOKIE).isSecured())
                .as("plain http, no public-url: a Secure cookie would not come back").isFalse();
    }

    private static void revoke(String name) {
        long id = AuthTest.as(AuthProfile.ADMIN).get("/api/tokens").jsonPath().getLong("find { it.name == '" + name + "' }.id");
        AuthTest.as(AuthProfile.ADMIN).delete("/api/tokens/{id}", id).then().statusCode(200);
    }

    /** An open event stream: its first event has come; {@code ended} completes when the server ends it. */
    private record Stream(CompletableFuture<Void> ended, java.util.stream.Stream<String> body) {
    }

    private Stream stream(long study, String header, String value) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(root.resolve("/api/studies/" + study + "/events"))
                .header(header, value).header("Accept", "text/event-stream").build();
        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        CountDownLatch first = new CountDownLatch(1);
        CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> response.body().forEach(line -> {
            if (line.startsWith("data:")) {
                first.countDown();
            }
        }), task -> Thread.ofPlatform().daemon().name("event-stream-reader").start(task));
        assertThat(first.await(STREAM_END.toSeconds(), TimeUnit.SECONDS)).as("the first event").isTrue();
        return new Stream(ended, response.body());
    }
}
