package dev.chorus.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a request whose body is larger than {@code quarkus.http.limits.max-body-size} with 413 and a
 * JSON {@link ErrorMapper.ApiError}, before the body is read; Quarkus's own check, which runs next, would
 * answer with an empty body. A declared length (Content-Length) is refused at once; a chunked body is
 * refused once it passes the limit. The connection is closed after the answer, so the rest of the body is
 * not read; clients that send {@code Expect: 100-continue} (curl does for large bodies) never send it.
 */
@ApplicationScoped
class BodyLimit {

    /** Before Quarkus's own body-size check (order -2). */
    static final int ORDER = -3;

    private final long limit;
    private final byte[] answer;

    BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit, ObjectMapper json)
            throws JsonProcessingException {
        this.limit = limit.asLongValue();
        this.answer = json.writeValueAsBytes(new ErrorMapper.ApiError(413, "the request body is larger than "
                + this.limit + " bytes (quarkus.http.limits.max-body-size)", List.of("send a smaller body: a "
                + "search-space file names its data files by path instead of carrying them")));
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLarge(length)) {
            refuse(context);
            return;
        }
        context.next();
    }

    private boolean tooLarge(String length) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // the HTTP layer refuses a malformed length itself
        }
    }

    private void refuse(RoutingContext context) {
        context.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Buffer.buffer(answer));
    }
}
