package dev.chorus.web;

import dev.chorus.access.Role;
import dev.chorus.dispatch.TrialProtocol;
import dev.chorus.error.ValidationException;
import dev.chorus.study.TrialReads;
import dev.chorus.trial.Trial;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Single trials by id, and the trial protocol's calls on a claimed trial. */
@Path("/api/trials")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "trials")
@RolesAllowed(Role.VIEWER_NAME)
public class TrialResource {

    private final TrialReads trials;
    private final TrialProtocol protocol;

    private final LongPolls polls;

    TrialResource(TrialReads trials, TrialProtocol protocol, LongPolls polls) {
        this.trials = trials;
        this.protocol = protocol;
        this.polls = polls;
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get a trial: candidate, state, attempts, worker, timestamps, per-task results")
    public Trial get(@PathParam("id") long id) {
        return trial(id);
    }

    /**
     * The trial or a 404. Endpoints call this, never {@link #get}: a call to another endpoint method
     * passes that method's role check too, and workers may not read trials. The protocol's calls do not
     * read the trial first: {@link TrialProtocol} answers an unknown trial with a 404 itself.
     */
    private Trial trial(long id) {
        return trials.trial(id);
    }

    @RolesAllowed(Role.WORKER_NAME)
    @GET
    @Path("{id}/assignment")
    @Tag(name = "trial protocol")
    @Operation(summary = "The assignment a claim holds (for a worker started on a claim made for it)")
    public TrialProtocol.Assignment assignment(@PathParam("id") long id,
                                               @QueryParam("claim") @Parameter(schema = @Schema(type = SchemaType.STRING,
                                                       format = "uuid")) String claim) {
        UUID held = Params.uuid("claim", claim);
        return protocol.assignment(id, held);
    }

    @RolesAllowed(Role.WORKER_NAME)
    @POST
    @Path("{id}/heartbeat")
    @Consumes(MediaType.APPLICATION_JSON)
    @Tag(name = "trial protocol")
    @Operation(summary = "Renew the claim's lease", description = "409 when the claim no longer holds the "
            + "trial (its lease ran out, or the trial was finished): stop working on it.")
    public TrialProtocol.Lease heartbeat(@PathParam("id") long id, ClaimBody body) {
        UUID claim = required(body == null ? null : body.claim());
        return protocol.heartbeat(id, claim);
    }

    @RolesAllowed(Role.WORKER_NAME)
    @POST
    @Path("{id}/intermediate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Tag(name = "trial protocol")
    @Operation(summary = "Report one epoch's validation values of some tasks; learn whether to stop",
            description = "Values for the same step and task replace earlier ones. prune=true means the "
                    + "study's pruner wants the trial stopped: call /prune.")
    public Verdict report(@PathParam("id") long id, Report body) {
        if (body == null || body.step() == null) {
            throw new BadRequestException("the body must be JSON like {\"claim\": \"...\", \"step\": 0, "
                    + "\"values\": {\"task\": 0.8}}; step (the epoch, from 0) is missing");
        }
        UUID claim = required(body.claim());
        return new Verdict(protocol.report(id, claim, body.step(), body.values()));
    }

    @RolesAllowed(Role.WORKER_NAME)
    @POST
    @Path("{id}/complete")
    @Consumes(MediaType.APPLICATION_JSON)
    @Tag(name = "trial protocol")
    @Operation(summary = "Finish the trial with per-task validation and test metrics (idempotent per claim)",
            description = "results: one {task, validation, test, baselineHash} per task of the study: validation "
                    + "is the task's metric on the split's validation rows at the epoch kept (the search ranks by "
                    + "it), test the same model's metric on the held-out test rows (reported, never chosen by). "
                    + "Each names its task's baselineHash from the assignment; a baseline not stored yet must come "
                    + "along in baselines: {hash, task, validation, test, trainSeconds}, under that key only. Values "
                    + "must be finite and within the metric's range (auc, accuracy, f1, macro_f1 in [0, 1]; rmse, "
                    + "mae >= 0; r2 <= 1), trainSeconds >= 0: 400 otherwise. A stored baseline sent again with other "
                    + "values: 409.")
    public Trial complete(@PathParam("id") long id, Completed body) {
        if (body == null || body.results() == null) {
            throw new BadRequestException("the body must be JSON with claim and results (one per task)");
        }
        UUID claim = required(body.claim());
        checkCompletion(body);
        protocol.complete(id, claim, new TrialProtocol.Completion(body.results(), body.baselines()));
        return trial(id);
    }

    @RolesAllowed(Role.WORKER_NAME)
    @POST
    @Path("{id}/complete-and-claim")
    @Consumes(MediaType.APPLICATION_JSON)
    @Tag(name = "trial protocol")
    @Operation(summary = "Finish the trial as /complete does, then claim the worker's next trial (long poll)",
            description = "One exchange where a worker would otherwise call /complete and /api/workers/claim. The body "
                    + "is /complete's with next: {worker, waitSeconds, study} as /api/workers/claim takes them. The "
                    + "answer names the trial completed and carries the next assignment, or next: null when no trial "
                    + "appeared in time (or the server was too busy to claim one): claim again the usual way. The "
                    + "completion is stored whatever the claim finds; repeating the call completes nothing twice.")
    @Blocking
    public CompletionStage<Handover> completeAndClaim(@PathParam("id") long id, CompletedThenClaim body) {
        if (body == null || body.results() == null) {
            throw new BadRequestException("the body must be JSON with claim, results (one per task) and next");
        }
        if (body.next() == null) {
            throw new BadRequestException("next is missing: say who claims the next trial, like \"next\": "
                    + "{\"worker\": \"gpu-node-3/1\", \"waitSeconds\": 30}");
        }
        UUID claim = required(body.claim());
        Completed completed = new Completed(claim, body.results(), body.baselines());
        checkCompletion(completed);
        Duration wait = WorkerResource.patience("next.waitSeconds", body.next().waitSeconds());
        String worker = body.next().worker();
        Long study = body.next().study();
        Optional<TrialProtocol.Assignment> next = protocol.completeAndClaim(id, claim,
                new TrialProtocol.Completion(completed.results(), completed.baselines()), worker, Duration.ZERO, study);
        return polls.thenWait(next, worker, wait, study).thenApply(a -> new Handover(id, a.orElse(null)));
    }

    @RolesAllowed(Role.WORKER_NAME)
    @POST
    @Path("{id}/prune")
    @Consumes(MediaType.APPLICATION_JSON)
    @Tag(name = "trial protocol")
    @Operation(summary = "Finish the trial as pruned (idempotent per claim); its reported values stay")
    public Trial prune(@PathParam("id") long id, ClaimBody body) {
        UUID claim = required(body == null ? null : body.claim());
        protocol.prune(id, claim);
        return trial(id);
    }

    @RolesAllowed(Role.WORKER_NAME)
    @POST
    @Path("{id}/fail")
    @Consumes(MediaType.APPLICATION_JSON)
    @Tag(name = "trial protocol")
    @Operation(summary = "Finish the trial as failed with the worker's error (idempotent per claim)")
    public Trial fail(@PathParam("id") long id, Failed body) {
        UUID claim = required(body == null ? null : body.claim());
        protocol.fail(id, claim, body.error());
        return trial(id);
    }

    @RolesAllowed(Role.WORKER_NAME)
    @POST
    @Path("{id}/release")
    @Consumes(MediaType.APPLICATION_JSON)
    @Tag(name = "trial protocol")
    @Operation(summary = "Give the trial back: it waits again (or fails once out of attempts), reason noted")
    public Trial release(@PathParam("id") long id, Released body) {
        UUID claim = required(body == null ? null : body.claim());
        protocol.release(id, claim, body.reason());
        return trial(id);
    }

    /** A body that names only the claim. */
    public record ClaimBody(UUID claim) {
    }

    /** One epoch's validation values: task name to value. */
    public record Report(UUID claim, Integer step, Map<String, Double> values) {
    }

    /** Whether the pruner wants the trial stopped. */
    public record Verdict(boolean prune) {
    }

    /** Per-task results and any baselines trained for them. */
    public record Completed(UUID claim, List<TrialProtocol.Result> results, List<TrialProtocol.NewBaseline> baselines) {
    }

    /** A completion, and who claims the next trial how. */
    public record CompletedThenClaim(UUID claim, List<TrialProtocol.Result> results,
                                     List<TrialProtocol.NewBaseline> baselines, WorkerResource.ClaimRequest next) {
    }

    /**
     * What complete-and-claim answers.
     *
     * @param completed the trial just completed
     * @param next      the trial claimed next, null when none
     */
    public record Handover(long completed, TrialProtocol.Assignment next) {
    }

    /** The worker's error. */
    public record Failed(UUID claim, String error) {
    }

    /** Why the trial is given back. */
    public record Released(UUID claim, String reason) {
    }

    /**
     * What the coordinator cannot take as it comes: list entries that are null, and hashes or task names
     * with control characters (the database refuses NUL). The rest (each task once, values in their
     * metric's range, the assignment's baseline keys) is checked when the results are recorded.
     */
    private static void checkCompletion(Completed body) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < body.results().size(); i++) {
            TrialProtocol.Result r = body.results().get(i);
            if (r == null) {
                problems.add("results[" + i + "]: an object {task, validation, test, baselineHash}, not null");
            } else if (control(r.task()) || control(r.baselineHash())) {
                problems.add("results[" + i + "]: task and baselineHash without control characters");
            }
        }
        List<TrialProtocol.NewBaseline> baselines = body.baselines() == null ? List.of() : body.baselines();
        for (int i = 0; i < baselines.size(); i++) {
            TrialProtocol.NewBaseline b = baselines.get(i);
            if (b == null) {
                problems.add("baselines[" + i + "]: an object {hash, task, validation, test, trainSeconds}, not null");
            } else if (control(b.hash()) || control(b.task())) {
                problems.add("baselines[" + i + "]: hash and task without control characters");
            }
        }
        if (!problems.isEmpty()) {
            throw new ValidationException("the completion is not valid", problems);
        }
    }

    private static boolean control(String text) {
        return text != null && Params.hasControl(text);
    }

    private static UUID required(UUID claim) {
        if (claim == null) {
            throw new BadRequestException("claim is missing: name the claim id the claim call returned");
        }
        return claim;
    }

    @GET
    @Path("{id}/intermediate")
    @Operation(summary = "A trial's validation metric per task after each epoch (what pruners read)")
    public List<Map<String, Double>> intermediate(@PathParam("id") long id) {
        return trials.intermediate(id);
    }
}
