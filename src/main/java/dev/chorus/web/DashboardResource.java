package dev.chorus.web;

import dev.chorus.access.Role;
import dev.chorus.error.StudyNotFoundException;
import dev.chorus.report.HypervolumeHistory;
import dev.chorus.report.ParetoFront;
import dev.chorus.report.ParetoReport;
import dev.chorus.report.FrontAnalysis;
import dev.chorus.study.Study;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyState;
import dev.chorus.study.TrialReads;
import dev.chorus.trial.TrialStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What the dashboard's pages read in one request each: a page of the studies list with the figures the
 * REST API spreads over several calls, and a study page's charts. Read only; every figure comes from the same
 * services as the REST API.
 */
@Path("/api/dashboard")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dashboard")
@RolesAllowed(Role.VIEWER_NAME)
public class DashboardResource {

    /** The most hypervolume points a study page gets: more than a chart's width in pixels. */
    static final int MAX_POINTS = 2000;
    /** Studies on a page of the list unless the caller asks for another size, and the most it may ask for. */
    static final int STUDIES = 50;
    static final int MAX_STUDIES = 200;
    /** The response header that gives how many studies there are in all. */
    static final String TOTAL = "X-Total-Count";

    private final StudyService studies;
    private final TrialReads trials;
    private final FrontAnalysis analysis;
    private final InstantSource clock;

    DashboardResource(StudyService studies, TrialReads trials, FrontAnalysis analysis, InstantSource clock) {
        this.studies = studies;
        this.trials = trials;
        this.analysis = analysis;
        this.clock = clock;
    }

    /**
     * A study with what the dashboard shows about it.
     *
     * @param trials        trial counts by state (every state, zeros included)
     * @param secondsLeft   of the wall-clock budget; null before the study starts and after it ends
     * @param hypervolumeShare the current front's hypervolume as a share of its reference box, 0 to 1
     *                      (see {@link HypervolumeHistory}), or null before any trial completed
     * @param hypervolumeBound half-width of that share's 95 % interval (0 when exact), null with the share
     * @param recommendedModels models of the recommended configuration (the report's: fewest models within
     *                      the acceptance policy), or null while there is none
     * @param actions       the moves a person may make now: {@code start}, {@code pause}, {@code cancel}
     */
    public record StudyRow(StudyView study, Map<String, Integer> trials, Long secondsLeft, Double hypervolumeShare,
                           Double hypervolumeBound, Integer recommendedModels, List<String> actions) {
    }

    /**
     * A study page's data.
     *
     * @param hypervolume     the history as {@link FrontAnalysis#hypervolume(long, int)} gives it with
     *                        {@value #MAX_POINTS} points, reduced to the trials where the value changed (and
     *                        the last one): a step function, exact while the study has at most that many
     *                        points, sampled at the ends of equal ranges of trials beyond
     * @param affinity        the task affinity, or null when the study has none
     * @param affinityMissing why there is none, or null
     * @param recommendation  the report's recommendation and what the data lets it claim
     * @param stability       the stability check of that recommendation
     */
    public record StudyOverview(StudyRow row, ParetoFront front, HypervolumeHistory hypervolume,
                                StudyService.Affinity affinity, String affinityMissing,
                                ParetoReport.Recommendation recommendation,
                                ParetoReport.Stability stability) {
    }

    @GET
    @Path("studies")
    @Operation(summary = "A page of the studies, newest first, with trial counts, time left, hypervolume share and "
            + "best models", description = "size: studies per page, 1 to " + MAX_STUDIES + " (default "
            + STUDIES + "). after: a study id; the page of the studies created before it (ids below it), read by "
            + "keyset, so the next page is the one after the last id of this one. The header " + TOTAL
            + " gives how many studies there are in all. A study's hypervolume share and recommendation are "
            + "read again only when its trial counts or its front moved.")
    public Response list(@QueryParam("size") @Parameter(schema = @Schema(type = SchemaType.INTEGER,
                                 defaultValue = "" + STUDIES)) String sizeText,
                         @QueryParam("after") @Parameter(schema = @Schema(type = SchemaType.INTEGER)) String afterText) {
        int size = Params.whole("size", sizeText, STUDIES, 1, MAX_STUDIES);
        int after = Params.whole("after", afterText, 0, 1, Integer.MAX_VALUE);
        int total = studies.count();
        List<StudyRow> rows = studies.list(after == 0 ? Long.MAX_VALUE : after, size).stream().map(s -> {
            TrialStore.Counts counts = trials.counts(s.id());
            FrontAnalysis.Glance glance = orNull(() -> analysis.glance(s.id(), counts));
            return row(s, counts, glance == null ? null : glance.hypervolume(),
                    glance == null || glance.recommended() == null ? null : glance.recommended().models());
        }).toList();
        return Response.ok(rows).header(TOTAL, total).build();
    }

    @GET
    @Path("studies/{id}")
    @Operation(summary = "A study page's data: progress, Pareto front, hypervolume steps and task affinity")
    public StudyOverview overview(@PathParam("id") long id) {
        Study study = studies.get(id);
        HypervolumeHistory hv = steps(analysis.hypervolume(id, MAX_POINTS));
        StudyService.Affinity affinity = null;
        String missing = null;
        try {
            affinity = studies.affinity(id);
        } catch (StudyNotFoundException e) {
            missing = e.getMessage();
        }
        ParetoFront front = analysis.front(id);
        ParetoReport.Recommendation recommendation = analysis.recommendation(id, front);
        return new StudyOverview(row(study, trials.counts(id), hv.history().isEmpty() ? null : hv.history().getLast(),
                recommendation.fewestModels() == null ? null : recommendation.fewestModels().models()), front, hv,
                affinity, missing, recommendation, analysis.stability(id, recommendation));
    }

    @GET
    @Path("example")
    @Produces({"application/yaml", MediaType.TEXT_PLAIN})
    @Operation(summary = "The demo study's search-space file, to start a new study from")
    public String example() {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("search-spaces/demo.yaml")) {
            if (in == null) {
                throw new NotFoundException("this build has no search-spaces/demo.yaml");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("could not read search-spaces/demo.yaml from the class path", e);
        }
    }

    /**
     * @param counts            the study's trial counts
     * @param hv                the latest hypervolume point, or null
     * @param recommendedModels models of the recommended configuration, or null
     */
    private StudyRow row(Study study, TrialStore.Counts counts, HypervolumeHistory.Point hv, Integer recommendedModels) {
        Map<String, Integer> byState = StudyEventsResource.byState(counts);
        return new StudyRow(StudyView.of(study, studies.progress(study, counts)), byState, secondsLeft(study),
                hv == null ? null : hv.share(), hv == null || hv.share() == null ? null : hv.errorShare(),
                recommendedModels, actions(study.state()));
    }

    private Long secondsLeft(Study study) {
        if (study.startedAt() == null || study.state().isFinished()) {
            return null;
        }
        long used = clock.instant().getEpochSecond() - study.startedAt().getEpochSecond();
        return Math.max(0, study.maxWallClockSeconds() - used);
    }

    static List<String> actions(StudyState state) {
        List<String> out = new ArrayList<>();
        if (state.canMoveTo(StudyState.RUNNING)) {
            out.add("start");
        }
        if (state.canMoveTo(StudyState.PAUSED)) {
            out.add("pause");
        }
        if (state.canMoveTo(StudyState.CANCELLED)) {
            out.add("cancel");
        }
        return out;
    }

    /** The points where the hypervolume changed, and the last point: the same step function, fewer points. */
    static HypervolumeHistory steps(HypervolumeHistory hv) {
        List<HypervolumeHistory.Point> out = new ArrayList<>();
        List<HypervolumeHistory.Point> all = hv.history();
        for (int i = 0; i < all.size(); i++) {
            boolean changed = out.isEmpty() || all.get(i).value() != out.getLast().value();
            if (changed || i == all.size() - 1) {
                out.add(all.get(i));
            }
        }
        return new HypervolumeHistory(hv.studyId(), hv.objectives(), hv.reference(), hv.ideal(), hv.boxVolume(),
                hv.method(), out);
    }

    /**
     * A study whose definition no longer parses (its file moved, say) shows no recommendation and no
     * hypervolume share, not an error.
     */
    private static <T> T orNull(Supplier<T> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
