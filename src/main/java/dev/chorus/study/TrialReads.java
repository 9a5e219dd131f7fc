package dev.chorus.study;

import dev.chorus.error.StudyNotFoundException;
import dev.chorus.trial.Baseline;
import dev.chorus.trial.BaselineStore;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * What the REST resources and the dashboard read of trials and baselines, so that they talk to a
 * service rather than to the stores. Reads only, each in its own statement; thread-safe.
 */
@ApplicationScoped
public class TrialReads {

    private final TrialStore trials;
    private final BaselineStore baselines;

    TrialReads(TrialStore trials, BaselineStore baselines) {
        this.trials = trials;
        this.baselines = baselines;
    }

    /**
     * A trial of the search or of a stability check.
     *
     * @throws StudyNotFoundException when there is none with that id
     */
    public Trial trial(long id) {
        return trials.find(id).orElseThrow(() -> new StudyNotFoundException("no trial with id " + id));
    }

    /** A trial's validation metric per task after each epoch, oldest first. */
    public List<Map<String, Double>> intermediate(long trialId) {
        trial(trialId);
        return trials.intermediate(trialId);
    }

    /** The study's search trials by state (stability variants left out) and its latest generation. */
    public TrialStore.Counts counts(long studyId) {
        return trials.counts(studyId);
    }

    /** One page of the study's search trials, filtered and sorted as {@code query} says. */
    public List<Trial> page(long studyId, TrialStore.TrialQuery query) {
        return trials.page(studyId, query);
    }

    /**
     * A cached single-task baseline.
     *
     * @throws StudyNotFoundException when no baseline has that hash
     */
    public Baseline baseline(String hash) {
        return baselines.find(hash).orElseThrow(() -> new StudyNotFoundException("no baseline with hash " + hash));
    }
}
