package dev.chorus.web;

import dev.chorus.access.Role;
import dev.chorus.dispatch.TrialProtocol;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The trial protocol's entry: a worker claims a trial. The rest of the protocol is under /api/trials. */
@Path("/api/workers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "trial protocol")
@RolesAllowed(Role.WORKER_NAME)
public class WorkerResource {

    /** Longest long poll a claim may ask for. */
    static final int MAX_WAIT_SECONDS = 60;

    private final TrialProtocol protocol;

    WorkerResource(TrialProtocol protocol) {
        this.protocol = protocol;
    }

    /**
     * A claim request: who claims, how long to wait for a trial to appear and, optionally, the one study
     * whose trials it takes (an ask-and-tell loop on one study); without it, any running study's.
     */
    public record ClaimRequest(String worker, Integer waitSeconds, Long study) {
    }

    @POST
    @Path("claim")
    @Operation(summary = "Claim the oldest waiting trial (long poll)",
            description = "Waits up to waitSeconds (0 to 60, default 30) for a trial. The answer carries the "
                    + "claim id every later call of the protocol names, the lease's end, how often to send "
                    + "heartbeats, the candidate (grouping as task names per model, weighting, settings), the "
                    + "study's tasks and definition, and the data's content hash. With study, only that study's trials.")
    @APIResponse(responseCode = "200", description = "a trial was claimed")
    @APIResponse(responseCode = "204", description = "no trial appeared in time; claim again")
    @RunOnVirtualThread // a waiting long poll then holds no platform thread: a thousand idle workers cost none
    public Response claim(ClaimRequest request) {
        if (request == null) {
            throw new BadRequestException("the body must be JSON like {\"worker\": \"gpu-node-3/1\", \"waitSeconds\": 30}");
        }
        Duration patience = patience("waitSeconds", request.waitSeconds());
        return protocol.claimFrom(request.worker(), patience, request.study())
                .map(a -> Response.ok(a).build())
                .orElseGet(() -> Response.noContent().build());
    }

    /** A claim's long poll: {@code waitSeconds} from 0 to {@link #MAX_WAIT_SECONDS}, 30 when not given. */
    static Duration patience(String field, Integer waitSeconds) {
        int wait = waitSeconds == null ? 30 : waitSeconds;
        if (wait < 0 || wait > MAX_WAIT_SECONDS) {
            throw new BadRequestException(field + " must be between 0 and " + MAX_WAIT_SECONDS + ", was " + wait);
        }
        return Duration.ofSeconds(wait);
    }

}
