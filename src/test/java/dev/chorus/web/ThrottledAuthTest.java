package dev.chorus.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Failed authentications are limited per address (issue 16, item 7): past the limit, 429 unchecked. */
@QuarkusTest
@TestProfile(ThrottledAuthTest.Limit3.class)
class ThrottledAuthTest {

    public static class Limit3 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chorus.auth.failed-attempts-per-minute", "3", "chorus.worker.enabled", "false",
                    "chorus.coordinator.enabled", "false");
        }
    }

    @Test
    void guessingTokensFromOneAddressStopsAtTheLimit() {
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", "Bearer chorus_guess" + i).get("/api/studies").then().statusCode(401);
        }
        given().header("Authorization", "Bearer chorus_guess3").get("/api/studies").then().statusCode(429)
                .header("Retry-After", notNullValue()).body("error", containsString("too many failed"));
        given().cookie("chorus_session", "guess").get("/api/studies").then().statusCode(429);
        // without a credential the loopback convenience still answers: nothing was guessed
        given().get("/api/me").then().statusCode(200);
    }
}
