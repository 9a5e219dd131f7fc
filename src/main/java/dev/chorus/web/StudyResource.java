package dev.chorus.web;

import dev.chorus.access.Role;
import dev.chorus.dispatch.TrialProtocol;
import dev.chorus.report.HypervolumeHistory;
import dev.chorus.report.ParetoFront;
import dev.chorus.report.ParetoReport;
import dev.chorus.report.ReportBuilder;
import dev.chorus.report.ReportCsv;
import dev.chorus.report.ReportHtml;
import dev.chorus.report.ReportPdf;
import dev.chorus.report.FrontAnalysis;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.Study;
import dev.chorus.study.StudyService;
import dev.chorus.study.TrialReads;
import dev.chorus.study.UserCandidate;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Studies: create from a search-space file, read, steer, and read their trials and Pareto front. */
@Path("/api/studies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "studies")
@RolesAllowed(Role.VIEWER_NAME)
public class StudyResource {

    /** The most hypervolume points one request may ask for. */
    static final int MAX_HYPERVOLUME_POINTS = 100_000;

    private final StudyService studies;
    private final TrialReads trials;
    private final FrontAnalysis analysis;
    private final TrialProtocol protocol;
    private final ReportBuilder reportBuilder;

    StudyResource(StudyService studies, TrialReads trials, FrontAnalysis analysis, TrialProtocol protocol,
                  ReportBuilder reportBuilder) {
        this.reportBuilder = reportBuilder;
        this.studies = studies;
        this.trials = trials;
        this.analysis = analysis;
        this.protocol = protocol;
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
    @Operation(summary = "Create a study from a search-space YAML file (the request body)",
            description = "Relative paths in the file resolve against the server's working directory; data files "
                    + "must lie under chorus.data.roots and are loaded now, so a file that cannot run is a 400. "
                    + "With ?start=true the study starts at once.")
    public Response create(String yaml, @QueryParam("start") @Parameter(schema = @Schema(type = SchemaType.BOOLEAN,
                                   defaultValue = "false")) String start, @Context UriInfo uri) {
        boolean starting = Params.bool("start", start, false);
        if (yaml == null || yaml.isBlank()) {
            throw new BadRequestException("the request body must be a search-space YAML file; it was empty");
        }
        Study study = studies.create(yaml, java.nio.file.Path.of(""));
        if (starting) {
            study = studies.start(study.id());
        }
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(study.id())).build())
                .entity(view(study)).build();
    }

    @GET
    @Operation(summary = "List studies, newest first", description = "Every study, unless size is given: then a "
            + "page of size studies (1 to " + DashboardResource.MAX_STUDIES + ", that many when only after is "
            + "given); after: a study id, for the page of the studies created before it (read by keyset: the next page is after the last id of this "
            + "one). The header " + DashboardResource.TOTAL + " gives how many studies there are in all.")
    public Response list(@QueryParam("size") @Parameter(schema = @Schema(type = SchemaType.INTEGER)) String sizeText,
                         @QueryParam("after") @Parameter(schema = @Schema(type = SchemaType.INTEGER)) String afterText) {
        int size = Params.whole("size", sizeText, 0, 1, DashboardResource.MAX_STUDIES);
        int after = Params.whole("after", afterText, 0, 1, Integer.MAX_VALUE);
        List<Study> page = size == 0 && after == 0 ? studies.list()
                : studies.list(after == 0 ? Long.MAX_VALUE : after, size == 0 ? DashboardResource.MAX_STUDIES : size);
        return Response.ok(page.stream().map(this::view).toList())
                .header(DashboardResource.TOTAL, studies.count()).build();
    }

    /** A study with its progress, read once. */
    private StudyView view(Study study) {
        return StudyView.of(study, studies.progress(study));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get a study with its progress")
    public StudyView get(@PathParam("id") long id) {
        return view(studies.get(id));
    }

    @GET
    @Path("{id}/spec")
    @Produces({"application/yaml", MediaType.TEXT_PLAIN})
    @Operation(summary = "The search-space file exactly as submitted")
    public String spec(@PathParam("id") long id) {
        return studies.get(id).specYaml();
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("{id}/start")
    @Operation(summary = "Start a created study or resume a paused one")
    public StudyView start(@PathParam("id") long id) {
        return view(studies.start(id));
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("{id}/pause")
    @Operation(summary = "Pause a running study; running trials finish, no new ones start")
    public StudyView pause(@PathParam("id") long id) {
        return view(studies.pause(id));
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel a study for good; its waiting trials are failed")
    public StudyView cancel(@PathParam("id") long id) {
        return view(studies.cancel(id));
    }

    @GET
    @Path("{id}/trials")
    @Operation(summary = "A page of the study's trials, sorted and filtered by state",
            description = "sort: number (default), deltaM, models or finished; a leading '-' sorts descending. "
                    + "state: a comma-separated list of trial states to keep (default: all). total counts the "
                    + "trials that pass the filter. after / before (a trial number, instead of page): the page "
                    + "just after or just before that trial in this order, read by keyset: its cost does not grow "
                    + "with the depth, where page reads every trial before it.")
    public TrialPage trials(@PathParam("id") long id,
                            @QueryParam("page") @Parameter(schema = @Schema(type = SchemaType.INTEGER,
                                    defaultValue = "0")) String pageText,
                            @QueryParam("size") @Parameter(schema = @Schema(type = SchemaType.INTEGER,
                                    defaultValue = "50")) String sizeText,
                            @QueryParam("sort") @DefaultValue("number") String sort,
                            @QueryParam("state") String state,
                            @QueryParam("after") @Parameter(schema = @Schema(type = SchemaType.INTEGER)) String afterText,
                            @QueryParam("before") @Parameter(schema = @Schema(type = SchemaType.INTEGER))
                            String beforeText) {
        int page = Params.whole("page", pageText, 0, 0, Integer.MAX_VALUE);
        int size = Params.whole("size", sizeText, 50, 1, 500);
        Integer after = trialNumber("after", afterText);
        Integer before = trialNumber("before", beforeText);
        if ((long) page * size > Integer.MAX_VALUE) {
            throw new BadRequestException("page " + page + " of size " + size + " starts past the last trial a "
                    + "study can have; page times size must stay below " + Integer.MAX_VALUE);
        }
        TrialStore.TrialQuery query = TrialQueries.parse(sort, state, page, size, after, before);
        Study study = studies.get(id);
        TrialStore.Counts counts = trials.counts(id);
        int total = query.states().isEmpty() ? counts.total()
                : query.states().stream().mapToInt(counts::of).sum();
        List<Trial> items = trials.page(study.id(), query);
        return new TrialPage(page, size, total, items);
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("{id}/trials")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a candidate of your own; it runs as a trial and joins the population",
            description = "groups lists the models by task names; every other field defaults from the study's "
                    + "search space and must lie inside it.")
    public Response submit(@PathParam("id") long id, UserCandidate candidate, @Context UriInfo uri) {
        if (candidate == null) {
            throw new BadRequestException("the request body must be a JSON candidate, e.g. "
                    + "{\"groups\": [[\"a\", \"b\"], [\"c\"]]}");
        }
        if (Stream.of(candidate.weighting(), candidate.architecture()).anyMatch(t -> t != null && Params.hasControl(t))) {
            throw new BadRequestException("weighting and architecture are names without control characters, such as "
                    + "\"equal\" and \"hard\"");
        }
        Trial trial = studies.submit(id, candidate);
        return Response.created(uri.getBaseUriBuilder().path("api/trials").path(Long.toString(trial.id())).build())
                .entity(trial).build();
    }

    @GET
    @Path("{id}/pareto")
    @Operation(summary = "The study's Pareto front: non-dominated trials with per-task metrics and deltas")
    public ParetoFront pareto(@PathParam("id") long id) {
        return analysis.front(id);
    }

    @GET
    @Path("{id}/report")
    @Produces({MediaType.APPLICATION_JSON, "text/csv", MediaType.TEXT_HTML, "application/pdf"})
    @Operation(summary = "The Pareto report: json, csv (the front), html (self-contained, charts inline) or pdf",
            description = "Study definition, baselines, Pareto members with per-task metrics and deltas, the "
                    + "recommended configuration with its reason, negative-transfer findings, task affinity, "
                    + "hypervolume history and what is needed to reproduce it.")
    public Response report(@PathParam("id") long id, @QueryParam("format") @DefaultValue("json") String format) {
        String f = format.toLowerCase(Locale.ROOT);
        if (!List.of("json", "csv", "html", "pdf").contains(f)) {
            throw new BadRequestException("format must be one of json, csv, html, pdf; was '" + format + "'");
        }
        ParetoReport report = reportBuilder.build(id);
        Object body = switch (f) {
            case "csv" -> ReportCsv.render(report);
            case "html" -> ReportHtml.render(report);
            case "pdf" -> ReportPdf.render(report);
            default -> report;
        };
        String type = switch (f) {
            case "csv" -> "text/csv; charset=utf-8";
            case "html" -> "text/html; charset=utf-8";
            case "pdf" -> "application/pdf";
            default -> MediaType.APPLICATION_JSON;
        };
        return Response.ok(body, type).header("Content-Disposition",
                (f.equals("html") || f.equals("json") ? "inline" : "attachment") + "; filename=\"chorus-study-" + id
                        + "-report." + f + "\"").build();
    }

    @RolesAllowed({Role.VIEWER_NAME, Role.WORKER_NAME})
    @GET
    @Path("{id}/split")
    @Tag(name = "trial protocol")
    @Operation(summary = "The train/validation/test row indices a run trains on, and the data hash they index",
            description = "The rows of replicate r (the assignment's replicate; 0, the default, is a configuration's "
                    + "first run), which the run and its baselines train on. Without cross-validation, replicate 0 is "
                    + "the study's stored split, made once from its seed, and a repeat resamples its train and "
                    + "validation rows, test rows unchanged. With k folds (evaluation.folds), replicate r, 0 included, "
                    + "tests on fold r mod k of all rows and trains and validates on the others.")
    public TrialProtocol.SplitRows split(@PathParam("id") long id,
                                         @QueryParam("replicate") @DefaultValue("0") int replicate) {
        studies.get(id);
        if (replicate < 0 || replicate > StudySpec.Evaluation.MAX_REPEATS) {
            throw new BadRequestException("replicate must be 0.." + StudySpec.Evaluation.MAX_REPEATS
                    + " (the assignment's replicate), was " + replicate);
        }
        return protocol.split(id, replicate);
    }

    @GET
    @Path("{id}/affinity")
    @Operation(summary = "The study's task affinity (TAG warm start) and the groupings derived from it",
            description = "affinity[i][j]: how a step on task i changes task j's loss (positive: lowers it). "
                    + "404 when the study has none (warm start off, or not measured yet).")
    public StudyService.Affinity affinity(@PathParam("id") long id) {
        return studies.affinity(id);
    }

    @GET
    @Path("{id}/hypervolume")
    @Operation(summary = "The hypervolume of the study's Pareto front after each completed trial, at most "
            + "`points` of them",
            description = "Every point while the study has at most `points` (default 2000, at most 100000); beyond, "
                    + "the range of complete-trial counts is cut into `points` equal parts and each gives its last "
                    + "point, after the first point: the latest point is always exact. The report carries "
                    + "the same history at most 2000 points long.")
    public HypervolumeHistory hypervolume(@PathParam("id") long id,
                                          @QueryParam("points") @Parameter(schema = @Schema(type = SchemaType.INTEGER,
                                                  defaultValue = "2000")) String pointsText) {
        int points = Params.whole("points", pointsText, DashboardResource.MAX_POINTS, 2, MAX_HYPERVOLUME_POINTS);
        studies.get(id);
        return analysis.hypervolume(id, points);
    }

    /** A trial number given as a page's keyset, or null when the parameter is absent. */
    private static Integer trialNumber(String name, String text) {
        return text == null || text.isEmpty() ? null : Params.whole(name, text, 0, 0, Integer.MAX_VALUE);
    }

    /** One page of trials. */
    public record TrialPage(int page, int size, int total, List<Trial> items) {
    }
}
