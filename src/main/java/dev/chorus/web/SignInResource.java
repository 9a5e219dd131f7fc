package dev.chorus.web;

import dev.chorus.access.Caller;
import dev.chorus.access.Role;
import dev.chorus.access.Secrets;
import dev.chorus.access.TokenService;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Dashboard sign-in with an API token. A signed-in browser holds the token in an HttpOnly,
 * SameSite=Strict cookie that scripts cannot read, and a second, readable cookie whose value the
 * dashboard's scripts echo in a header on every write ({@link CrossSiteFilter}).
 */
@Path("/")
@Tag(name = "dashboard")
public class SignInResource {

    /** Where a signed-in browser may be sent: a path on this server, never another host. */
    private static final Pattern LOCAL_PATH = Pattern.compile("/(?![/\\\\])[A-Za-z0-9/_\\-?=&.%]*");

    /** Who is calling, as the dashboard shows it. */
    public record Me(String name, String role, Set<String> grants, boolean loopback) {
    }

    private final TokenService tokens;
    private final SecurityIdentity identity;

    SignInResource(TokenService tokens, SecurityIdentity identity) {
        this.tokens = tokens;
        this.identity = identity;
    }

    @GET
    @Path("sign-in")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Dashboard: sign in with an API token")
    public String signInPage(@QueryParam("next") String next, @QueryParam("failed") String failed) {
        String message = failed == null ? "" : switch (failed) {
            case "worker" -> "Worker tokens speak the trial protocol only; sign in with a viewer, operator or admin token.";
            case "expired" -> "That token was revoked or is unknown now; sign in again.";
            default -> "That token is unknown or was revoked.";
        };
        return DashboardPages.signIn(safeNext(next), message);
    }

    @POST
    @Path("sign-in")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Sign in: sets the session cookies and goes on to 'next'")
    public Response signIn(@FormParam("token") String token, @FormParam("next") String next, @Context UriInfo uri) {
        String to = safeNext(next);
        Optional<Caller> caller = tokens.authenticate(token);
        if (caller.isEmpty() || caller.get().role() == Role.WORKER) {
            return Response.seeOther(URI.create("/sign-in?failed=" + (caller.isEmpty() ? "unknown" : "worker")
                    + "&next=" + URLEncoder.encode(to, StandardCharsets.UTF_8))).build();
        }
        boolean secure = "https".equalsIgnoreCase(uri.getBaseUri().getScheme());
        return Response.seeOther(URI.create(to))
                .cookie(cookie(TokenAuthMechanism.SESSION_COOKIE, token.strip(), true, secure, -1),
                        cookie(CrossSiteFilter.CSRF_COOKIE, Secrets.newToken(), false, secure, -1))
                .build();
    }

    @POST
    @Path("sign-out")
    @PermitAll
    @Operation(summary = "Sign out: forgets the session cookies")
    public Response signOut(@Context UriInfo uri) {
        boolean secure = "https".equalsIgnoreCase(uri.getBaseUri().getScheme());
        return Response.seeOther(URI.create("/sign-in"))
                .cookie(cookie(TokenAuthMechanism.SESSION_COOKIE, "", true, secure, 0),
                        cookie(CrossSiteFilter.CSRF_COOKIE, "", false, secure, 0))
                .build();
    }

    @GET
    @Path("api/me")
    @Authenticated
    @Produces(MediaType.APPLICATION_JSON)
    @Tag(name = "tokens")
    @Operation(summary = "Who this request signs in as: the token's name and role")
    public Me me() {
        Caller caller = TokenAuthMechanism.caller(identity);
        return new Me(caller.name(), caller.role().id(), identity.getRoles(),
                caller.tokenId() == null && caller.name().equals("local"));
    }

    static String safeNext(String next) {
        return next != null && next.length() <= 500 && LOCAL_PATH.matcher(next).matches() ? next : "/";
    }

    private static NewCookie cookie(String name, String value, boolean httpOnly, boolean secure, int maxAge) {
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(httpOnly).secure(secure).maxAge(maxAge)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }
}
