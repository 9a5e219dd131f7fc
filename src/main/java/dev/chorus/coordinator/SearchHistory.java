package dev.chorus.coordinator;

import dev.chorus.search.Sampler;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.Objectives;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Each running study's sampler, kept between coordinator ticks and fed the study's finished first runs
 * (repeats of a configuration are left out: they re-measure a configuration the sampler already knows)
 * as they finish, so that proposing the next generation neither reads the whole history from the
 * database nor hands it to the sampler.
 *
 * <p>A study's sampler is built, and observes every finished trial, the first time it is asked for
 * (after a restart, or when the study runs again): the one-time rebuild from the store. After that, a
 * top-up reads only the trials it was told ended ({@link #ended}, after their transaction committed), so
 * a tick costs the trials that ended since the last one, however fast they end. Trials that end
 * without telling (a lease that ran out on the last attempt, a trial timed out) are caught by a top-up by time after
 * {@link #endedUntold}: the trials whose {@code finished_at} is at most {@link #OVERLAP} before the
 * latest one seen (a trial's finishing transaction may commit after another's that carries a later
 * timestamp). Every {@link #FULL_READ} the study's finished trials are read whole again and observed once
 * more, so nothing a top-up missed stays missed; samplers ignore a candidate they have observed already,
 * so reading a trial twice changes nothing else. Finished trials never change and a study's spec does not
 * change while it runs, so a trial once observed is final.
 *
 * @implNote Thread-safe. {@link #of} and {@link #keepOnly} are synchronized (the coordinator's thread is
 *     their only caller in production); {@link #ended} and {@link #endedUntold} take no lock that a read
 *     holds, so a completion never waits for a study's whole read. Memory: each running study's sampler,
 *     whose state is bounded but for the set of tried candidates ({@link Sampler}), and the ids told
 *     since its last top-up (at most {@link #MAX_TOLD} a study; past that the next top-ups read by time).
 */
final class SearchHistory {

    static final Duration OVERLAP = Duration.ofMinutes(2);
    static final Duration FULL_READ = Duration.ofMinutes(10);
    /** Trials read at a time by the whole read. */
    static final int PAGE = 10_000;
    /** Ended trials remembered per study between top-ups; more, and the next top-up reads by time instead. */
    static final int MAX_TOLD = 100_000;

    private static final class Study {
        final Sampler sampler;
        Instant latest;
        Instant readAt;
        /** {@link #expiries} when this study last read by time or whole. */
        long expiriesSeen;

        Study(Sampler sampler) {
            this.sampler = sampler;
        }
    }

    private final TrialStore trials;
    private final Map<Long, Study> studies = new HashMap<>();
    /** Each study's trials told ended since its last top-up. */
    private final ConcurrentHashMap<Long, Set<Long>> told = new ConcurrentHashMap<>();
    private final AtomicLong expiries = new AtomicLong();

    SearchHistory(TrialStore trials) {
        this.trials = trials;
    }

    /** Says that a trial of the study finished, its transaction committed: the next top-up reads it. */
    void ended(long studyId, long trialId) {
        told.compute(studyId, (k, ids) -> {
            Set<Long> to = ids == null ? new HashSet<>() : ids;
            to.add(trialId);
            if (to.size() <= MAX_TOLD) {
                return to;
            }
            endedUntold(); // too many to remember: read by time instead
            return null;
        });
    }

    /**
     * Says that trials may have ended untold (leases ran out, trials timed out, too many were told to
     * remember), so each study's next top-up reads by time.
     */
    void endedUntold() {
        expiries.incrementAndGet();
    }

    /**
     * The study's sampler, having observed its finished trials.
     *
     * @param create builds the study's sampler when there is none yet; it observes nothing itself
     */
    synchronized Sampler of(long studyId, StudySpec spec, Instant now, Supplier<Sampler> create) {
        Study study = studies.computeIfAbsent(studyId, id -> new Study(create.get()));
        boolean whole = study.latest == null || now.isAfter(study.readAt.plus(FULL_READ)) || now.isBefore(study.readAt);
        Set<Long> since = told.remove(studyId); // what ends from here on is told again, for the next top-up
        long expired = expiries.get();
        boolean byTime = expired != study.expiriesSeen;
        study.expiriesSeen = expired;
        if (whole) { // a page at a time: a million trials with their results would not fit the heap at once
            for (List<Trial> page : trials.finishedPages(studyId, PAGE)) {
                page.forEach(t -> observe(study, spec, t));
            }
            study.readAt = now;
        } else if (byTime) {
            trials.listFinishedSince(studyId, study.latest.minus(OVERLAP)).forEach(t -> observe(study, spec, t));
        } else if (since != null) {
            trials.listFinished(studyId, since).forEach(t -> observe(study, spec, t));
        }
        return study.sampler;
    }

    private static void observe(Study study, StudySpec spec, Trial t) {
        if (!t.isRepeat()) { // the sampler learns from each configuration's first run; repeats decide the front
            study.sampler.observe(Objectives.evaluated(spec, t));
        }
        if (t.finishedAt() != null && (study.latest == null || t.finishedAt().isAfter(study.latest))) {
            study.latest = t.finishedAt();
        }
    }

    /** Forgets every study not in {@code running}: their samplers are rebuilt if they run again. */
    synchronized void keepOnly(Collection<Long> running) {
        studies.keySet().retainAll(running);
        told.keySet().retainAll(running);
    }
}
