package dev.chorus.web;

import dev.chorus.study.SpecException;
import dev.chorus.study.StudyNotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns exceptions into JSON errors that say what is wrong, never a stack trace. */
class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    /** The body of every error response. */
    public record ApiError(int status, String error, List<String> problems) {
    }

    @ServerExceptionMapper
    Response spec(SpecException e) {
        return respond(400, "the search-space file is not valid", e.getMessage().lines().toList());
    }

    @ServerExceptionMapper
    Response invalid(dev.chorus.study.ValidationException e) {
        return respond(400, e.what(), e.problems());
    }

    @ServerExceptionMapper
    Response notFound(StudyNotFoundException e) {
        return respond(404, e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    Response leaseLost(dev.chorus.dispatch.TrialProtocol.LeaseLostException e) {
        return respond(409, e.getMessage(), List.of("stop working on this trial; claim another"));
    }

    @ServerExceptionMapper
    Response conflict(IllegalStateException e) {
        return respond(409, e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    Response badArgument(IllegalArgumentException e) {
        return respond(400, e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    Response web(WebApplicationException e) {
        if (e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
            return json(json);
        }
        int status = e.getResponse().getStatus();
        return respond(status, e.getMessage(), List.of());
    }

    /** Quarkus has its own, body-less mapper for this subtype: the more specific mapper wins. */
    @ServerExceptionMapper
    Response mismatched(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    Response json(com.fasterxml.jackson.core.JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
        String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()
                ? " in field '" + m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                        : "[" + r.getIndex() + "]").reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                        .orElse("") + "'" : "";
        return respond(400, "the request body is not valid JSON for this endpoint" + field + where,
                List.of(e.getOriginalMessage()));
    }

    /** The database is restarting or unreachable: 503 with Retry-After, which workers and clients retry. */
    @ServerExceptionMapper
    Response store(dev.chorus.store.StoreException e) {
        if (e.unavailable()) {
            LOG.warnf("Database unavailable while answering a request: %s", e.getMessage());
            return Response.fromResponse(respond(503, "the database is unavailable right now; try again shortly",
                    List.of())).header("Retry-After", "5").build();
        }
        return unexpected(e);
    }

    @ServerExceptionMapper
    Response unexpected(Exception e) {
        LOG.error("Unexpected error answering a request", e);
        return respond(500, "internal error (" + e.getClass().getSimpleName() + "); the server log has details",
                List.of());
    }

    private static Response respond(int status, String message, List<String> problems) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status, message, problems)).build();
    }
}
