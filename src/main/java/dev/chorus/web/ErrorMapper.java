package dev.chorus.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.chorus.dispatch.TrialProtocol;
import dev.chorus.error.ConflictException;
import dev.chorus.error.StoreException;
import dev.chorus.error.StudyNotFoundException;
import dev.chorus.error.ValidationException;
import dev.chorus.spec.SpecException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Turns exceptions into JSON errors that say what is wrong and what to change, never a stack trace or a
 * Java class name. Messages and problems are cut to {@value #MAX_TEXT} characters and at most
 * {@value #MAX_PROBLEMS} problems, so an answer never echoes a huge input back.
 */
class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);
    static final int MAX_TEXT = 500;
    static final int MAX_PROBLEMS = 50;
    /** Where the API is described: not on the public port, on the management interface. */
    private static final String API_DOCUMENT = "the OpenAPI document (/q/openapi on the management port,"
            + " quarkus.management.port)";

    private final SecurityIdentity identity;
    private final SessionCookies cookies;

    ErrorMapper(SecurityIdentity identity, SessionCookies cookies) {
        this.identity = identity;
        this.cookies = cookies;
    }

    /** The body of every error response. */
    public record ApiError(int status, String error, List<String> problems) {
    }

    @ServerExceptionMapper
    Response spec(SpecException e) {
        return respond(400, "the search-space file is not valid", e.getMessage().lines().toList());
    }

    @ServerExceptionMapper
    Response invalid(ValidationException e) {
        return respond(400, e.what(), e.problems());
    }

    @ServerExceptionMapper
    Response notFound(StudyNotFoundException e) {
        return respond(404, e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    Response leaseLost(TrialProtocol.LeaseLostException e) {
        return respond(409, e.getMessage(), List.of("stop working on this trial; claim another"));
    }

    @ServerExceptionMapper
    Response conflict(ConflictException e) {
        return respond(409, e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    Response web(WebApplicationException e, UriInfo uri, HttpHeaders headers) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        int status = e.getResponse().getStatus();
        String where = uri == null ? "this path" : "/" + uri.getPath().replaceFirst("^/", "");
        String message = switch (e) {
            // Chorus answers a missing resource with StudyNotFoundException; these come from JAX-RS
            case NotFoundException n when n.getCause() != null ->
                    "nothing at " + where + ": ids in the path are whole numbers of an existing resource";
            case NotFoundException n -> "nothing at " + where + "; " + API_DOCUMENT + " lists the API";
            case NotAllowedException n -> "method not allowed at " + where + "; " + (n.getResponse()
                    .getAllowedMethods().isEmpty() ? API_DOCUMENT + " lists the methods of each path"
                    : "allowed: " + String.join(", ", n.getResponse().getAllowedMethods()));
            case NotSupportedException n -> "this endpoint does not take Content-Type '"
                    + (headers == null || headers.getMediaType() == null ? "(none)" : headers.getMediaType())
                    + "'; " + API_DOCUMENT + " lists what each endpoint takes";
            case NotAcceptableException n -> "this endpoint cannot answer in the types the Accept header asks for ("
                    + (headers == null ? "" : String.join(", ", headers.getRequestHeader(HttpHeaders.ACCEPT)))
                    + "); accept application/json";
            default -> e.getMessage() != null && !e.getMessage().startsWith("HTTP " + status) ? e.getMessage()
                    : "the request is not valid (HTTP " + status + ")";
        };
        return respond(status, message, List.of());
    }

    /** Quarkus has its own, body-less mapper for this subtype: the more specific mapper wins. */
    @ServerExceptionMapper
    Response mismatched(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    Response json(JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
        String path = e instanceof JsonMappingException m && !m.getPath().isEmpty()
                ? m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                        : "[" + r.getIndex() + "]").reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                        .orElse("") : "";
        List<String> problems = new ArrayList<>();
        if (e instanceof UnrecognizedPropertyException u) {
            problems.add("unknown field '" + u.getPropertyName() + "'" + (u.getKnownPropertyIds() == null ? ""
                    : "; the fields here are " + u.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", "))));
            return respond(400, "the request body has a field this endpoint does not know (a typo?)"
                    + where, problems);
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            problems.add((path.isEmpty() ? "the body" : path) + ": expected " + describe(m.getTargetType())
                    + (e instanceof InvalidFormatException f && f.getValue() != null ? ", got '" + f.getValue() + "'" : ""));
        } else {
            problems.add(plain(e.getOriginalMessage()));
        }
        return respond(400, "the request body is not valid JSON for this endpoint"
                + (path.isEmpty() ? "" : " in field '" + path + "'") + where, problems);
    }

    /**
     * The database is restarting or unreachable, or every pooled connection stayed in use past the pool's
     * acquisition timeout: 503 with Retry-After, which workers and clients retry.
     */
    @ServerExceptionMapper
    Response store(StoreException e) {
        if (e.busy()) {
            LOG.warnf("No database connection free while answering a request: %s", e.getMessage());
            return Response.fromResponse(respond(503, "the server is busy: no database connection came free in "
                    + "time; try again shortly", List.of())).header("Retry-After", "1").build();
        }
        if (e.unavailable()) {
            LOG.warnf("Database unavailable while answering a request: %s", e.getMessage());
            return Response.fromResponse(respond(503, "the database is unavailable right now; try again shortly",
                    List.of())).header("Retry-After", "5").build();
        }
        return unexpected(e);
    }

    /** No credential where the endpoint needs one: the dashboard goes to sign-in, API clients get 401. */
    @ServerExceptionMapper
    Response unauthorized(UnauthorizedException e, HttpHeaders headers, UriInfo uri,
                          Request request) {
        if (wantsPage(headers, uri, request)) {
            return signIn(uri, null);
        }
        return Response.fromResponse(respond(401, "sign in: send Authorization: Bearer <token>; an admin makes "
                + "tokens on the dashboard's Tokens page or with POST /api/tokens", List.of()))
                .header("WWW-Authenticate", "Bearer realm=\"chorus\"").build();
    }

    /** A credential that signs nobody in (unknown, revoked, malformed). */
    @ServerExceptionMapper
    Response authenticationFailed(AuthenticationFailedException e, HttpHeaders headers,
                                  UriInfo uri, Request request) {
        if (wantsPage(headers, uri, request)) {
            return signIn(uri, "expired");
        }
        String why = e.getMessage() == null || e.getMessage().isBlank() ? "the token is unknown or was revoked"
                : e.getMessage();
        return Response.fromResponse(respond(401, why + "; ask an admin for a token", List.of()))
                .header("WWW-Authenticate", "Bearer realm=\"chorus\", error=\"invalid_token\"").build();
    }

    /** An address that failed to authenticate too often this minute ({@link AuthThrottle}). */
    @ServerExceptionMapper
    Response tooManyAttempts(AuthThrottle.TooManyAttempts e) {
        return Response.fromResponse(respond(429, e.getMessage(), List.of()))
                .header("Retry-After", e.retryAfterSeconds()).build();
    }

    /** Signed in, but the role does not allow this. */
    @ServerExceptionMapper
    Response forbidden(ForbiddenException e,
                       SimpleResourceInfo resource) {
        String who = identity.isAnonymous() ? "this request" : "'" + identity.getPrincipal().getName() + "' ("
                + String.join(", ", new TreeSet<>(identity.getRoles())) + ")";
        String needs = AllowedRoles.required(resource).map(r -> "; it needs one of the roles " + String.join(", ", r))
                .orElse("");
        return respond(403, who + " may not do this" + needs, List.of());
    }

    private static boolean wantsPage(HttpHeaders headers, UriInfo uri, Request request) {
        return "GET".equals(request.getMethod()) && !uri.getPath().startsWith("/api/") && headers != null
                && headers.getAcceptableMediaTypes().stream().anyMatch(t -> t.isCompatible(MediaType.TEXT_HTML_TYPE)
                && !t.isWildcardType());
    }

    private Response signIn(UriInfo uri, String failed) {
        String next = uri.getRequestUri().getRawPath()
                + (uri.getRequestUri().getRawQuery() == null ? "" : "?" + uri.getRequestUri().getRawQuery());
        String to = "/sign-in?next=" + URLEncoder.encode(SignInResource.safeNext(next),
                StandardCharsets.UTF_8) + (failed == null ? "" : "&failed=" + failed);
        Response.ResponseBuilder r = Response.seeOther(URI.create(to));
        if (failed != null) { // the session cookie holds a session that no longer signs in
            r.cookie(cookies.sessionGone(uri));
        }
        return r.build();
    }

    /**
     * Quarkus cut off a chunked body past {@code quarkus.http.limits.max-body-size} and answered 413 itself;
     * the resource reading the body sees this IOException. Not a bug, so no error in the log.
     */
    @ServerExceptionMapper
    Response tooLarge(java.io.IOException e) {
        if ("Request too large".equals(e.getMessage())) {
            return respond(413, "the request body is larger than the limit (quarkus.http.limits.max-body-size)",
                    List.of());
        }
        return unexpected(e);
    }

    /**
     * Anything else is a bug, not a bad request (an IllegalArgumentException or IllegalStateException
     * from deep inside included): 500 with an id that the log line names, so a user can report it.
     */
    @ServerExceptionMapper
    Response unexpected(Throwable e) {
        String id = java.util.UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error %s answering a request", id);
        return respond(500, "internal error " + id + "; the server log names this id with the details", List.of());
    }

    private static Response respond(int status, String message, List<String> problems) {
        List<String> shown = new ArrayList<>(problems.stream().limit(MAX_PROBLEMS).map(ErrorMapper::cut).toList());
        if (problems.size() > MAX_PROBLEMS) {
            shown.add("... and " + (problems.size() - MAX_PROBLEMS) + " more problems");
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status, cut(message == null ? "the request is not valid" : message), shown)).build();
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "... (cut)";
    }

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("java.lang.Integer", "a whole number"), Map.entry("int", "a whole number"),
            Map.entry("java.lang.Long", "a whole number"), Map.entry("long", "a whole number"),
            Map.entry("java.lang.Double", "a number"), Map.entry("double", "a number"),
            Map.entry("java.lang.String", "a string"), Map.entry("java.lang.Boolean", "true or false"),
            Map.entry("boolean", "true or false"),
            Map.entry("java.util.UUID", "a UUID such as 123e4567-e89b-12d3-a456-426614174000"),
            Map.entry("java.time.Instant", "an ISO-8601 instant such as 2026-11-24T22:00:00Z"),
            Map.entry("java.util.List", "a list"), Map.entry("java.util.ArrayList", "a list"),
            Map.entry("java.util.Map", "an object"), Map.entry("java.util.LinkedHashMap", "an object"));

    /** What a Java type is in JSON terms. */
    private static String describe(Class<?> type) {
        String known = TYPES.get(type.getName());
        if (known != null) {
            return known;
        }
        return type.isArray() || List.class.isAssignableFrom(type) ? "a list" : "an object";
    }

    private static final Pattern BACKTICKED = Pattern.compile("`([\\w.$\\[\\]]+)`");

    /** Jackson's message without Java type, exception and token names. */
    private static String plain(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        String m = message.replaceAll("\\s*\\(token `JsonToken\\.[A-Z_]+`\\)", "")
                .replaceAll("\\((?:[a-z]\\w*\\.)+\\w*Exception\\)\\s*", "")
                .replaceAll("Failed to deserialize (?:[a-z]\\w*\\.)+\\w+: ", "")
                .replaceAll("\\s*\\(although at least one Creator exists\\)", "");
        Matcher t = BACKTICKED.matcher(m);
        StringBuilder out = new StringBuilder();
        while (t.find()) {
            String name = t.group(1);
            String friendly = TYPES.getOrDefault(name, name.contains(".") ? name.startsWith("java.") && name
                    .contains("List") ? "a list" : "an object" : name);
            t.appendReplacement(out, Matcher.quoteReplacement(friendly));
        }
        t.appendTail(out);
        return out.toString().replace("Exception", "error");
    }
}
