package dev.chorus.web;

import dev.chorus.access.Role;
import dev.chorus.schedule.OvernightJob;
import dev.chorus.schedule.OvernightJobService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Overnight jobs: a study definition run on a schedule, stopped at a stop time, reported to a webhook. */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs")
@RolesAllowed(Role.VIEWER_NAME)
public class OvernightJobResource {

    private final OvernightJobService jobs;

    OvernightJobResource(OvernightJobService jobs) {
        this.jobs = jobs;
    }

    /** A job as listed: its schedule, next run, and its latest runs (newest first). */
    public record JobView(long id, String name, boolean enabled, String cron, String timeZone, Instant startAt,
                          String stopBy, String runFor, String webhook, Instant nextRunAt, OvernightJob.Run lastRun,
                          List<OvernightJob.Run> runs, String spec) {
        static JobView of(OvernightJob j, List<OvernightJob.Run> runs, boolean withSpec) {
            return new JobView(j.id(), j.name(), j.enabled(), j.cron(), j.timeZone(), j.startAt(),
                    j.stopBy() == null ? null : j.stopBy().toString(), j.runFor() == null ? null : j.runFor().toString(),
                    j.webhookUrl(), j.nextRunAt(), runs.isEmpty() ? null : runs.getFirst(), runs,
                    withSpec ? j.specYaml() : null);
        }
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Schedule a study definition",
            description = "Body: {name, spec (the search-space YAML), cron (e.g. \"0 22 * * mon-fri\") or startAt, "
                    + "stopBy (HH:MM) or runFor (PT8H), timeZone (default UTC), webhook (http(s) URL of a public "
                    + "host, or of one listed in chorus.webhooks.allowed-hosts)}. Each run creates and starts a "
                    + "study; its budgets come from the YAML.")
    public Response create(OvernightJobService.JobRequest request, @Context UriInfo uri) {
        if (request == null) {
            throw new BadRequestException("the body must be a JSON job: {\"name\": ..., \"spec\": ..., \"cron\": ...}");
        }
        if (request.name() != null && !request.name().isBlank()) {
            Params.name("name", request.name(), 200); // a missing name is among the service's problems
        }
        OvernightJob job = jobs.create(request, java.nio.file.Path.of(""));
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(job.id())).build())
                .entity(JobView.of(job, List.of(), true)).build();
    }

    @GET
    @Operation(summary = "List jobs, newest first, with next and last runs")
    public List<JobView> list() {
        return jobs.list().stream().map(j -> JobView.of(j, jobs.runs(j.id(), 1), false)).toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A job with its study definition and its last 50 runs")
    public JobView get(@PathParam("id") long id) {
        return view(id);
    }

    /** Endpoints call this, not {@link #get}, whose role check would apply to them too. */
    private JobView view(long id) {
        return JobView.of(jobs.get(id), jobs.runs(id, 50), true);
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("{id}/pause")
    @Operation(summary = "Stop scheduling runs (a run in progress goes on)")
    public JobView pause(@PathParam("id") long id) {
        jobs.pause(id);
        return view(id);
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("{id}/resume")
    @Operation(summary = "Schedule runs again from now on")
    public JobView resume(@PathParam("id") long id) {
        jobs.resume(id);
        return view(id);
    }
}
