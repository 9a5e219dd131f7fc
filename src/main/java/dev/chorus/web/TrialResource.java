package dev.chorus.web;

import dev.chorus.study.StudyNotFoundException;
import dev.chorus.store.TrialStore;
import dev.chorus.trial.Trial;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Single trials by id. */
@Path("/api/trials")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "trials")
public class TrialResource {

    private final TrialStore trials;

    TrialResource(TrialStore trials) {
        this.trials = trials;
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get a trial: candidate, state, attempts, worker, timestamps, per-task results")
    public Trial get(@PathParam("id") long id) {
        return trials.find(id).orElseThrow(() -> new StudyNotFoundException("no trial with id " + id));
    }

    @GET
    @Path("{id}/intermediate")
    @Operation(summary = "A trial's validation metric per task after each epoch (what pruners read)")
    public java.util.List<java.util.Map<String, Double>> intermediate(@PathParam("id") long id) {
        get(id);
        return trials.intermediate(id);
    }
}
