package dev.chorus.web;

import dev.chorus.access.Role;
import dev.chorus.error.StudyNotFoundException;
import dev.chorus.study.TrialReads;
import dev.chorus.trial.Baseline;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Cached single-task baselines: what each per-task delta of a trial is measured against. */
@Path("/api/baselines")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "baselines")
@RolesAllowed({Role.VIEWER_NAME, Role.WORKER_NAME})
public class BaselineResource {

    private final TrialReads baselines;

    BaselineResource(TrialReads baselines) {
        this.baselines = baselines;
    }

    @GET
    @Path("{hash}")
    @Operation(summary = "A baseline by the hash a trial's per-task result names: task, metric, value, "
            + "training settings, training time")
    public Baseline get(@PathParam("hash") String hash) {
        if (hash.length() > 1000 || Params.hasControl(hash)) { // no stored hash looks so; the database refuses NUL
            throw new StudyNotFoundException("no baseline with such a hash: hashes are at most 1000 characters "
                    + "without control characters");
        }
        return baselines.baseline(hash);
    }
}
