package dev.chorus.server;

import dev.chorus.spec.StudySpec;
import dev.chorus.study.Configurations;
import dev.chorus.study.StudyCache;
import dev.chorus.trial.References;
import dev.chorus.trial.TrialStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each study's single-task references as {@link Configurations#references} chooses them, kept until they
 * may have changed, so that the completion path does not read the whole study to learn them.
 *
 * <p>References are chosen among settled configurations with at least {@code evaluation.repeats} complete
 * runs. They can change only when a run of such a configuration ends or is added, or, with one run per
 * configuration, when any trial ends. So an entry holds while the study's number of trials (which grows
 * with every run added, here or by the coordinator's confirmation) and its version here are what they were
 * when it was read. The version moves through {@link #changed} whenever a repeat ends, or any trial where
 * the study asks one run, after that change has committed, and {@link #forgetAll} forgets every entry
 * (leases that ran out may have failed repeats).
 *
 * @implNote Thread-safe ({@link StudyCache}, up to {@value #STUDIES} studies). A read that races a change
 *     stores its result under the version it saw, so the next read after the change reads again.
 */
final class KnownReferences {

    private final Configurations configurations;
    private final TrialStore trials;
    private final StudyCache<Key, References> entries = new StudyCache<>(STUDIES);
    private final Map<Long, AtomicLong> versions = new ConcurrentHashMap<>();

    /** Studies whose references are held at once. */
    static final int STUDIES = 256;

    private record Key(int trials, long version) {
    }

    KnownReferences(Configurations configurations, TrialStore trials) {
        this.configurations = configurations;
        this.trials = trials;
    }

    References of(long studyId, StudySpec spec) {
        long version = version(studyId).get();
        Key key = new Key(trials.counts(studyId).total(), version);
        return entries.get(studyId, key, () -> configurations.references(studyId, spec));
    }

    /** A run of the study ended that may change its references (called after the change committed). */
    void changed(long studyId) {
        version(studyId).incrementAndGet();
    }

    void forgetAll() {
        entries.clear();
    }

    private AtomicLong version(long studyId) {
        return versions.computeIfAbsent(studyId, k -> new AtomicLong());
    }
}
