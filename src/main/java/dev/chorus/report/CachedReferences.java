package dev.chorus.report;

import dev.chorus.spec.StudySpec;
import dev.chorus.study.Configurations;
import dev.chorus.trial.References;
import dev.chorus.trial.TrialStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each study's tuned single-task references ({@link Configurations#references}), read again only when
 * the study's trial counts changed. Choosing them reads every finished trial of the study, which at a
 * million trials takes seconds; every page view and report asks for them. The counts move whenever the
 * choice can: a trial finishing (the finished states only grow), a repeat or twin added (waiting grows),
 * and they are read before the references, so a trial finishing in between makes the next call read again.
 *
 * @implNote Thread-safe; holds the references of the last {@value #STUDIES} studies asked about.
 */
final class CachedReferences {

    static final int STUDIES = 64;

    private final Configurations configurations;
    private final TrialStore trials;
    private final Map<Long, Entry> byStudy = new ConcurrentHashMap<>();

    private record Entry(TrialStore.Counts counts, References references) {
    }

    CachedReferences(Configurations configurations, TrialStore trials) {
        this.configurations = configurations;
        this.trials = trials;
    }

    /** The study's references as {@link Configurations#references} chooses them now. */
    References of(long studyId, StudySpec spec) {
        TrialStore.Counts counts = trials.counts(studyId);
        Entry cached = byStudy.get(studyId);
        if (cached != null && cached.counts().equals(counts)) {
            return cached.references();
        }
        References fresh = configurations.references(studyId, spec);
        if (byStudy.size() >= STUDIES) {
            byStudy.clear();
        }
        byStudy.put(studyId, new Entry(counts, fresh));
        return fresh;
    }
}
