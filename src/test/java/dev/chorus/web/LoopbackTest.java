package dev.chorus.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The first-run convenience (the default profile): a request from this machine to a loopback name is an
 * admin's, and only that.
 */
@QuarkusTest
class LoopbackTest {

    @Test
    void aLocalRequestIsTheLocalAdmin() {
        given().get("/api/me").then().statusCode(200).body("name", equalTo("local")).body("loopback", equalTo(true))
                .body("role", equalTo("admin"));
    }

    @Test
    void anotherHostNameOrAProxyIsNotLocal() {
        // what a page of another site sees after pointing its own name at 127.0.0.1 (DNS rebinding)
        given().header("Host", "evil.example:8080").get("/api/me").then().statusCode(401);
        // a reverse proxy on this machine
        given().header("X-Forwarded-For", "203.0.113.9").get("/api/me").then().statusCode(401);
        // any proxy header, as README says: these were let through once (issue 16, item 9)
        for (String[] proxy : new String[][] {{"X-Forwarded-Proto", "https"}, {"X-Forwarded-Port", "443"},
                {"x-forwarded-prefix", "/chorus"}, {"Via", "1.1 proxy.example"}, {"X-Real-IP", "203.0.113.9"}}) {
            assertThat(given().header(proxy[0], proxy[1]).get("/api/me").statusCode()).as("with %s", proxy[0])
                    .isEqualTo(401);
        }
        given().header("Forwarded", "for=203.0.113.9").get("/api/studies").then().statusCode(401)
                .body("error", containsString("Bearer"));
    }

    @Test
    void anotherSiteCannotWriteThroughTheLocalBrowser() {
        given().header("Origin", "http://evil.example").contentType("application/yaml").body("name: x".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/studies").then().statusCode(403).body("error", containsString("cross-site"));
    }
}
