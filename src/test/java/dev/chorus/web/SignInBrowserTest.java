package dev.chorus.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;

/**
 * A person signs in to a shared Chorus ({@link AuthProfile}: no loopback convenience) in headless
 * Chromium, manages tokens as an admin, and signs out; every write the pages make passes the CSRF check.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
class SignInBrowserTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void anAdminSignsInMakesAndRevokesATokenAndSignsOut() throws Exception {
        try (Browser browser = Browser.start(root.toString())) {
            browser.open("/tokens");
            browser.until(10, d -> d.getCurrentUrl().contains("/sign-in?next=%2Ftokens") ? true : null,
                    "the sign-in page");
            browser.find("#token").sendKeys("chorus_not_a_token");
            browser.click(".sign-in button[type='submit']");
            browser.waitForText("#sign-in-error", "unknown or was revoked", 10);

            browser.find("#token").sendKeys(AuthProfile.ADMIN);
            browser.click(".sign-in button[type='submit']");
            browser.waitForText("h1", "API tokens", 10);
            browser.waitForText("#who", "admin · admin", 10);
            assertThat(browser.find("#nav-tokens").isDisplayed()).isTrue();

            browser.find("#token-name").sendKeys("night shift");
            browser.select("#token-role", "viewer");
            browser.click("#new-token button[type='submit']");
            String secret = browser.waitForText("#created-secret", "chorus_", 10);
            String row = browser.waitForText("#tokens tbody tr", "night shift", 10);
            assertThat(row).contains("viewer").contains(secret.substring(0, 13)).doesNotContain(secret);
            browser.screenshot("tokens");

            browser.click("#tokens tbody tr button.danger");
            Alert confirm = browser.driver().switchTo().alert();
            confirm.accept();
            browser.waitForText("#tokens tbody tr", "revoked", 10);

            browser.click("#sign-out button");
            browser.waitForText("h1", "Sign in", 10);
            browser.open("/");
            browser.until(10, d -> d.getCurrentUrl().contains("/sign-in") ? true : null, "sign-in after signing out");

            browser.find("#token").sendKeys(secret);
            browser.click(".sign-in button[type='submit']");
            browser.waitForText("#sign-in-error", "unknown or was revoked", 10);
            browser.assertNoErrors("/api/me");
        }
    }
}
