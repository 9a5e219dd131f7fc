package dev.chorus.web;

import dev.chorus.config.ChorusConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses writes another site could make a signed-in browser send (cross-site request forgery):
 * <ol>
 *   <li>a write whose {@code Origin} is not this server (browsers send it on every cross-origin POST,
 *   also to loopback, where no token is needed);</li>
 *   <li>a write signed in by the dashboard's session cookie without the {@value #CSRF_HEADER} header
 *   equal to the {@value #CSRF_COOKIE} cookie (double submit: another site can neither read that cookie
 *   nor set a custom header without a CORS preflight, which Chorus never grants).</li>
 * </ol>
 * Requests with {@code Authorization: Bearer} carry their credential themselves and need no CSRF token.
 */
class CrossSiteFilter {

    static final String CSRF_COOKIE = "chorus_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    /** Signing in and out are plain forms; their Origin is still checked. */
    private static final Set<String> FORMS = Set.of("/sign-in", "/sign-out");

    private final Optional<URI> publicUrl;

    CrossSiteFilter(ChorusConfig config) {
        this.publicUrl = config.publicUrl().map(URI::create);
    }

    @ServerRequestFilter(preMatching = true)
    Response check(ContainerRequestContext request) {
        if (SAFE.contains(request.getMethod())) {
            return null;
        }
        String origin = request.getHeaderString("Origin");
        URI self = request.getUriInfo().getRequestUri(); // from Host, or :authority in HTTP/2
        if (origin != null && !sameOrigin(origin, self.getScheme() + "://" + self.getRawAuthority())) {
            return refuse("cross-site request refused: Origin " + cut(origin) + " is not this server; "
                    + "call the API from a script or tool with Authorization: Bearer <token>, not from another site");
        }
        Cookie session = request.getCookies().get(TokenAuthMechanism.SESSION_COOKIE);
        String path = "/" + request.getUriInfo().getPath().replaceFirst("^/", "");
        if (session == null || request.getHeaderString("Authorization") != null || FORMS.contains(path)) {
            return null;
        }
        Cookie expected = request.getCookies().get(CSRF_COOKIE);
        String sent = request.getHeaderString(CSRF_HEADER);
        if (expected == null || expected.getValue().isBlank() || sent == null || !MessageDigest.isEqual(
                sent.getBytes(StandardCharsets.UTF_8), expected.getValue().getBytes(StandardCharsets.UTF_8))) {
            return refuse("missing or wrong " + CSRF_HEADER + " header: the dashboard sends it from the "
                    + CSRF_COOKIE + " cookie (reload the page or sign in again); API clients should send "
                    + "Authorization: Bearer <token> instead of the session cookie");
        }
        return null;
    }

    /** Origin's host and port against those the request was sent to (or {@code chorus.public-url}'s). */
    boolean sameOrigin(String origin, String target) {
        URI o;
        try {
            o = URI.create(origin.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (o.getHost() == null || o.getScheme() == null) {
            return false; // "null" (sandboxed frames, file pages) and anything unparsable
        }
        if (publicUrl.isPresent() && authority(publicUrl.get()).equals(authority(o))) {
            return true;
        }
        URI t;
        try {
            t = URI.create(target);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return t.getHost() != null && authority(t).equals(authority(o));
    }

    private static String authority(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static Response refuse(String message) {
        return Response.status(403).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorMapper.ApiError(403, message, List.of())).build();
    }

    private static String cut(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }
}
