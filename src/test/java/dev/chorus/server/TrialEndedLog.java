package dev.chorus.server;

import dev.chorus.trial.FrontStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test-only observer of {@link TrialEnded}: while {@link #watch watching} a study, records each announced trial
 * of it and whether its study still owed it to the front at that moment. Idle (no query) otherwise.
 */
@ApplicationScoped
public class TrialEndedLog {

    /** One announcement: the trial, and whether it was still owed to its study's front when announced. */
    public record Heard(long trialId, boolean owed) {
    }

    @Inject
    FrontStore fronts;

    private volatile long study = -1;
    private final List<Heard> heard = new CopyOnWriteArrayList<>();

    /** Starts recording the announcements of {@code studyId}'s trials, forgetting earlier ones. */
    public void watch(long studyId) {
        heard.clear();
        study = studyId;
    }

    /** What was heard since {@link #watch}. */
    public List<Heard> heard() {
        return List.copyOf(heard);
    }

    void on(@Observes TrialEnded ended) {
        if (ended.studyId() == study) {
            heard.add(new Heard(ended.trialId(), fronts.owed(ended.studyId()).contains(ended.trialId())));
        }
    }
}
