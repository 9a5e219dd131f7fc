package dev.chorus.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * With {@code chorus.public-url} on https the dashboard's cookies are Secure even when the request reached
 * Chorus over plain http (a TLS proxy that sends no forwarded headers, or one Chorus does not trust).
 */
@QuarkusTest
@TestProfile(PublicUrlProfile.class)
class SecureCookieTest {

    @Test
    void theCookiesAreSecureWhenThePublicUrlIsHttps() {
        Response signedIn = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("token", AuthProfile.ADMIN).formParam("next", "/").post("/sign-in");
        signedIn.then().statusCode(303);
        assertThat(signedIn.getDetailedCookie(TokenAuthMechanism.SESSION_COOKIE).isSecured()).isTrue();
        assertThat(signedIn.getDetailedCookie(TokenAuthMechanism.SESSION_COOKIE).isHttpOnly()).isTrue();
        assertThat(signedIn.getDetailedCookie(CrossSiteFilter.CSRF_COOKIE).isSecured()).isTrue();
        String session = signedIn.getCookie(TokenAuthMechanism.SESSION_COOKIE);
        given().cookie(TokenAuthMechanism.SESSION_COOKIE, session).get("/api/me").then().statusCode(200);

        Response out = given().redirects().follow(false).cookie(TokenAuthMechanism.SESSION_COOKIE, session)
                .post("/sign-out");
        assertThat(out.getHeaders().getValues("Set-Cookie")).hasSize(2).allMatch(c -> c.contains("Secure"));
    }
}
