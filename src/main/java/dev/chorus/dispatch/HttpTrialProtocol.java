package dev.chorus.dispatch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The trial protocol spoken to a remote coordinator over its REST API. Calls that cannot reach the
 * coordinator, or that it answers with 5xx, are retried with backoff for up to {@code retryFor}, so a
 * worker rides out a coordinator restart; a 409 becomes {@link LeaseLostException}; another 4xx is a
 * bug of the caller's and becomes {@link IllegalStateException} with the coordinator's message.
 *
 * @implNote Thread-safe (the worker's heartbeat thread and its training thread share one instance).
 */
public final class HttpTrialProtocol implements TrialProtocol {

    private static final Logger LOG = Logger.getLogger(HttpTrialProtocol.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final Duration retryFor;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final String token;

    /** A protocol client that sends no token: for coordinators that trust loopback callers. */
    public HttpTrialProtocol(URI coordinator, Duration retryFor) {
        this(coordinator, retryFor, null);
    }

    /** @param token sent as {@code Authorization: Bearer}; a worker-role token; null sends none */
    public HttpTrialProtocol(URI coordinator, Duration retryFor, String token) {
        String url = coordinator.toString();
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.retryFor = retryFor;
        this.token = token == null || token.isBlank() ? null : token.strip();
    }

    @Override
    public Optional<Assignment> claim(String worker, Duration wait) {
        Map<String, Object> body = Map.of("worker", worker, "waitSeconds", wait.toSeconds());
        HttpResponse<String> r = call("POST", "api/workers/claim", body, CALL_TIMEOUT.plus(wait));
        return r.statusCode() == 204 ? Optional.empty() : Optional.of(read(r, Assignment.class));
    }

    @Override
    public Assignment assignment(long trialId, UUID claim) {
        return read(call("GET", "api/trials/" + trialId + "/assignment?claim=" + claim, null, CALL_TIMEOUT),
                Assignment.class);
    }

    @Override
    public Lease heartbeat(long trialId, UUID claim) {
        return read(call("POST", "api/trials/" + trialId + "/heartbeat", Map.of("claim", claim), CALL_TIMEOUT),
                Lease.class);
    }

    @Override
    public boolean report(long trialId, UUID claim, int step, Map<String, Double> values) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("claim", claim);
        body.put("step", step);
        body.put("values", values);
        JsonNode verdict = read(call("POST", "api/trials/" + trialId + "/intermediate", body, CALL_TIMEOUT),
                JsonNode.class);
        return verdict.path("prune").asBoolean(false);
    }

    @Override
    public Optional<Double> baseline(String hash) {
        HttpResponse<String> r = call("GET", "api/baselines/" + URLEncoder.encode(hash, StandardCharsets.UTF_8),
                null, CALL_TIMEOUT);
        return r.statusCode() == 404 ? Optional.empty() : Optional.of(read(r, JsonNode.class).path("validation").asDouble());
    }

    @Override
    public SplitRows split(long studyId, int replicate) {
        return read(call("GET", "api/studies/" + studyId + "/split?replicate=" + replicate, null, CALL_TIMEOUT),
                SplitRows.class);
    }

    @Override
    public void complete(long trialId, UUID claim, Completion completion) {
        read(call("POST", "api/trials/" + trialId + "/complete", completionBody(claim, completion), CALL_TIMEOUT),
                JsonNode.class);
    }

    /** The body of {@code /complete}, which {@code /complete-and-claim} extends. */
    private static Map<String, Object> completionBody(UUID claim, Completion completion) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("claim", claim);
        body.put("results", completion.results());
        body.put("baselines", completion.baselines());
        return body;
    }

    /** One call to {@code /complete-and-claim}; a retry after a lost answer completes nothing twice. */
    @Override
    public Optional<Assignment> completeAndClaim(long trialId, UUID claim, Completion completion, String worker,
                                                 Duration wait, Long study) {
        Map<String, Object> next = new LinkedHashMap<>();
        next.put("worker", worker);
        next.put("waitSeconds", wait.toSeconds());
        if (study != null) {
            next.put("study", study);
        }
        Map<String, Object> body = completionBody(claim, completion);
        body.put("next", next);
        JsonNode answer = read(call("POST", "api/trials/" + trialId + "/complete-and-claim", body,
                CALL_TIMEOUT.plus(wait)), JsonNode.class);
        JsonNode assignment = answer.path("next");
        if (assignment.isMissingNode() || assignment.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.treeToValue(assignment, Assignment.class));
        } catch (IOException e) {
            throw new IllegalStateException("the coordinator's next assignment is not what this worker understands: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void prune(long trialId, UUID claim) {
        read(call("POST", "api/trials/" + trialId + "/prune", Map.of("claim", claim), CALL_TIMEOUT), JsonNode.class);
    }

    @Override
    public void fail(long trialId, UUID claim, String error) {
        read(call("POST", "api/trials/" + trialId + "/fail", Map.of("claim", claim, "error", String.valueOf(error)),
                CALL_TIMEOUT), JsonNode.class);
    }

    @Override
    public void release(long trialId, UUID claim, String reason) {
        read(call("POST", "api/trials/" + trialId + "/release", Map.of("claim", claim, "reason", reason),
                CALL_TIMEOUT), JsonNode.class);
    }

    /** One call, retried while the coordinator is unreachable or answers 5xx, for up to {@code retryFor}. */
    private HttpResponse<String> call(String method, String path, Object body, Duration timeout) {
        long deadline = System.nanoTime() + retryFor.toNanos();
        long backoffMs = 250;
        while (true) {
            String problem;
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                        .header("Accept", "application/json");
                if (token != null) {
                    request.header("Authorization", "Bearer " + token);
                }
                if (body == null) {
                    request.GET();
                } else {
                    request.header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
                }
                HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() < 500) {
                    return r;
                }
                problem = "HTTP " + r.statusCode() + ": " + r.body();
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while calling the coordinator at " + base, e);
            }
            if (System.nanoTime() + backoffMs * 1_000_000 > deadline) {
                throw new IllegalStateException("the coordinator at " + base + " did not answer " + method + " /"
                        + path + " for " + retryFor.toSeconds() + " s; last: " + problem);
            }
            LOG.warnf("Coordinator at %s: %s /%s failed (%s); retrying in %d ms", base, method, path, problem, backoffMs);
            sleep(backoffMs);
            backoffMs = Math.min(backoffMs * 2, 10_000);
        }
    }

    private <T> T read(HttpResponse<String> r, Class<T> type) {
        if (r.statusCode() == 409) {
            throw new LeaseLostException(message(r));
        }
        if (r.statusCode() >= 400) {
            throw new IllegalStateException("the coordinator refused " + r.request().method() + " "
                    + r.request().uri().getPath() + " with HTTP " + r.statusCode() + ": " + message(r));
        }
        try {
            return json.readValue(r.body(), type);
        } catch (IOException e) {
            throw new IllegalStateException("the coordinator's answer to " + r.request().uri().getPath()
                    + " is not what this worker understands: " + e.getMessage(), e);
        }
    }

    private String message(HttpResponse<String> r) {
        try {
            JsonNode error = json.readTree(r.body());
            return error.path("error").asText(r.body()) + (error.path("problems").isEmpty() ? ""
                    : " " + error.path("problems"));
        } catch (IOException e) {
            return r.body();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
