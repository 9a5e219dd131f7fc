package dev.chorus.report;

import dev.chorus.spec.StudySpec;
import dev.chorus.study.Configurations;
import dev.chorus.study.StudyCache;
import dev.chorus.trial.References;
import dev.chorus.trial.TrialStore;

/**
 * Each study's tuned single-task references, as {@link Configurations#references} chooses them (a chunk
 * of finished trials at a time), read again only when the study's trial counts changed. Choosing reads
 * every complete first run, which at a million trials takes seconds; every page view and report asks. The counts move whenever the choice
 * can: a trial finishing (the finished states only grow), a repeat or twin added (waiting grows), and they
 * are read before the trials, so a trial finishing in between makes the next call read again.
 *
 * @implNote Thread-safe; holds the references of the last {@value #STUDIES} studies asked about.
 */
final class CachedReferences {

    static final int STUDIES = 64;
    static final int CHUNK = Configurations.CHUNK;

    private final TrialStore trials;
    private final int chunk;
    private final StudyCache<TrialStore.Counts, References> cache = new StudyCache<>(STUDIES);

    /** @param chunk finished trials read at a time, 1 or more ({@value #CHUNK} in the application) */
    CachedReferences(TrialStore trials, int chunk) {
        this.trials = trials;
        this.chunk = chunk;
    }

    /** The study's references as {@link Configurations#references} chooses them now. */
    References of(long studyId, StudySpec spec) {
        return cache.get(studyId, trials.counts(studyId), () -> Configurations.references(trials, studyId, spec, chunk));
    }
}
