package dev.chorus.web;

import dev.chorus.access.Caller;
import dev.chorus.access.Role;
import dev.chorus.access.SessionService;
import dev.chorus.config.ChorusConfig;
import dev.chorus.study.Study;
import dev.chorus.study.StudyService;
import dev.chorus.study.TrialReads;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Server-sent progress events of one study, for pages that follow it live. The stream reads the
 * database once a second, so it sees trials finished by any process, and sends an event only when
 * the study's state or its trial counts changed (the first one at once). Every
 * {@code chorus.sessions.stream-check} it asks whether the caller's credential still signs in, and ends
 * when it does not: a signed-out or expired session, a revoked token.
 */
@Path("/api/studies/{id}/events")
@Tag(name = "studies")
@RolesAllowed(Role.VIEWER_NAME)
public class StudyEventsResource {

    static final Duration PERIOD = Duration.ofSeconds(1);

    private final StudyService studies;
    private final TrialReads trials;
    private final SessionService sessions;
    private final SecurityIdentity identity;
    /** Ticks between two checks of the caller's credential. */
    private final long checkEvery;

    StudyEventsResource(StudyService studies, TrialReads trials, SessionService sessions, SecurityIdentity identity,
                        ChorusConfig config) {
        this.studies = studies;
        this.trials = trials;
        this.sessions = sessions;
        this.identity = identity;
        this.checkEvery = Math.max(1, config.sessions().streamCheck().toMillis() / PERIOD.toMillis());
    }

    /**
     * A study's progress at one moment.
     *
     * @param finished trials that are complete, pruned or failed
     * @param trials   trial counts by state
     */
    public record Progress(long studyId, String state, int finished, int total, Map<String, Integer> trials) {
    }

    @GET
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Server-sent events: the study's progress whenever its state or trial counts change",
            description = "Checked once a second; the first event comes at once. The stream stays open after "
                    + "the study finishes; close it when the state is completed, failed or cancelled. It ends "
                    + "when its credential stops signing in (signed out, expired, revoked).")
    public Multi<Progress> events(@PathParam("id") long id) {
        studies.get(id); // a 404 before the stream starts
        Caller caller = TokenAuthMechanism.caller(identity); // read now: the ticks run outside the request
        return Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(PERIOD)
                .onOverflow().drop()
                .select().first(tick -> tick % checkEvery != 0 || sessions.stillValid(caller))
                .map(tick -> progress(id))
                .skip().repetitions();
    }

    private Progress progress(long id) {
        Study study = studies.get(id);
        TrialStore.Counts counts = trials.counts(id);
        return new Progress(id, study.state().id(), counts.total() - counts.open(), counts.total(), byState(counts));
    }

    /** Trial counts by state id, every state in order, zeros included. */
    static Map<String, Integer> byState(TrialStore.Counts counts) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (TrialState s : TrialState.values()) {
            out.put(s.id(), counts.of(s));
        }
        return out;
    }
}
