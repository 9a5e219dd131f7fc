package dev.chorus.web;

import dev.chorus.config.ChorusConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/**
 * The dashboard's cookies: the session ({@value TokenAuthMechanism#SESSION_COOKIE}, HttpOnly) and the CSRF
 * token ({@value CrossSiteFilter#CSRF_COOKIE}, readable by the dashboard's scripts), both
 * {@code SameSite=Strict} and for the whole site. They are {@code Secure} whenever people reach Chorus over
 * https: {@code chorus.public-url} is https, or the request came over https as Quarkus resolved it (which
 * believes {@code X-Forwarded-Proto} and {@code Forwarded} only from the proxies in
 * {@code quarkus.http.proxy.trusted-proxies}, with {@code quarkus.http.proxy.proxy-address-forwarding} on).
 * Thread-safe: immutable.
 */
@ApplicationScoped
class SessionCookies {

    private final boolean publicHttps;

    SessionCookies(ChorusConfig config) {
        this.publicHttps = config.publicUrl().map(u -> "https".equalsIgnoreCase(URI.create(u.strip()).getScheme()))
                .orElse(false);
    }

    boolean secure(UriInfo uri) {
        return publicHttps || "https".equalsIgnoreCase(uri.getBaseUri().getScheme());
    }

    /** The cookies of a new session, kept until the browser closes; the server ends the session before. */
    NewCookie[] signedIn(String sessionId, String csrf, UriInfo uri) {
        boolean secure = secure(uri);
        return new NewCookie[] {cookie(TokenAuthMechanism.SESSION_COOKIE, sessionId, true, secure, -1),
                cookie(CrossSiteFilter.CSRF_COOKIE, csrf, false, secure, -1)};
    }

    /** Deletes both cookies. */
    NewCookie[] signedOut(UriInfo uri) {
        boolean secure = secure(uri);
        return new NewCookie[] {cookie(TokenAuthMechanism.SESSION_COOKIE, "", true, secure, 0),
                cookie(CrossSiteFilter.CSRF_COOKIE, "", false, secure, 0)};
    }

    /** Deletes the session cookie, whose session signs nobody in any more. */
    NewCookie sessionGone(UriInfo uri) {
        return cookie(TokenAuthMechanism.SESSION_COOKIE, "", true, secure(uri), 0);
    }

    private static NewCookie cookie(String name, String value, boolean httpOnly, boolean secure, int maxAge) {
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(httpOnly).secure(secure).maxAge(maxAge)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }
}
