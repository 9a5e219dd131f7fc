package dev.chorus.web;

import dev.chorus.access.Caller;
import dev.chorus.access.Secrets;
import dev.chorus.access.SessionService;
import dev.chorus.access.SessionService.SignIn;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Dashboard sign-in with an API token. Signing in starts a server-side session ({@link SessionService});
 * the browser holds the session's random id, never the token, in an HttpOnly, SameSite=Strict cookie that
 * scripts cannot read, and a second, readable cookie whose value the dashboard's scripts echo in a header
 * on every write ({@link CrossSiteFilter}). Signing out ends the session. See {@link SessionCookies}.
 */
@Path("/")
@Tag(name = "dashboard")
public class SignInResource {

    /** Where a signed-in browser may be sent: a path on this server, never another host. */
    private static final Pattern LOCAL_PATH = Pattern.compile("/(?![/\\\\])[A-Za-z0-9/_\\-?=&.%]*");

    /** Who is calling, as the dashboard shows it. */
    public record Me(String name, String role, Set<String> grants, boolean loopback) {
    }

    private final SessionService sessions;
    private final SessionCookies cookies;
    private final SecurityIdentity identity;

    SignInResource(SessionService sessions, SessionCookies cookies, SecurityIdentity identity) {
        this.sessions = sessions;
        this.cookies = cookies;
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
            case "expired" -> "Your session expired or its token was revoked; sign in again.";
            default -> "That token is unknown or was revoked.";
        };
        return DashboardPages.signIn(safeNext(next), message);
    }

    @POST
    @Path("sign-in")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Sign in: starts a session, sets its cookies and goes on to 'next'")
    public Response signIn(@FormParam("token") String token, @FormParam("next") String next, @Context UriInfo uri) {
        String to = safeNext(next);
        return switch (sessions.start(token)) {
            case SignIn.Started started -> Response.seeOther(URI.create(to))
                    .cookie(cookies.signedIn(started.sessionId(), Secrets.newToken(), uri)).build();
            case SignIn.Unknown unknown -> failed("unknown", to);
            case SignIn.Worker worker -> failed("worker", to);
        };
    }

    private static Response failed(String why, String next) {
        return Response.seeOther(URI.create("/sign-in?failed=" + why + "&next="
                + URLEncoder.encode(next, StandardCharsets.UTF_8))).build();
    }

    @POST
    @Path("sign-out")
    @PermitAll
    @Operation(summary = "Sign out: ends the session and forgets its cookies")
    public Response signOut(@CookieParam(TokenAuthMechanism.SESSION_COOKIE) String session, @Context UriInfo uri) {
        sessions.end(session);
        return Response.seeOther(URI.create("/sign-in")).cookie(cookies.signedOut(uri)).build();
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
}
