package dev.chorus.coordinator;

import dev.chorus.search.Evaluated;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.Objectives;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The finished first runs each running study's sampler learns from (repeats of a configuration are
 * left out: they re-measure a configuration the sampler already knows), kept between coordinator ticks and
 * topped up with the trials finished since the last read, so that proposing the next trial does not
 * read a 100,000-trial study from the database every time.
 *
 * <p>A top-up reads the trials whose {@code finished_at} is at most {@link #OVERLAP} before the latest
 * one seen (a trial's finishing transaction may commit after another's that carries a later
 * timestamp); a study's history is read whole again every {@link #FULL_READ}, so nothing missed can
 * stay missed. Finished trials never change and a study's spec does not change while it runs, so an
 * entry once read is final.
 *
 * @implNote Thread-safe (methods are synchronized); the coordinator's thread is the only caller in
 *     production. Memory: one {@link Evaluated} per finished trial of each running study.
 */
final class SearchHistory {

    static final Duration OVERLAP = Duration.ofMinutes(2);
    static final Duration FULL_READ = Duration.ofMinutes(10);

    private record Cached(TreeMap<Integer, Evaluated> byNumber, Instant latest, Instant readAt) {
    }

    private final TrialStore trials;
    private final Map<Long, Cached> studies = new HashMap<>();

    SearchHistory(TrialStore trials) {
        this.trials = trials;
    }

    /** The study's finished trials as its sampler sees them, in trial-number order. */
    synchronized List<Evaluated> of(long studyId, StudySpec spec, Instant now) {
        Cached cached = studies.get(studyId);
        boolean whole = cached == null || cached.latest() == null || now.isAfter(cached.readAt().plus(FULL_READ))
                || now.isBefore(cached.readAt());
        List<Trial> read = whole ? trials.listFinished(studyId)
                : trials.listFinishedSince(studyId, cached.latest().minus(OVERLAP));
        TreeMap<Integer, Evaluated> byNumber = whole ? new TreeMap<>() : cached.byNumber();
        Instant latest = whole ? null : cached.latest();
        for (Trial t : read) {
            if (t.isRepeat()) {
                continue; // the sampler learns from each configuration's first run; repeats decide the front
            }
            byNumber.putIfAbsent(t.number(), Objectives.evaluated(spec, t));
            if (t.finishedAt() != null && (latest == null || t.finishedAt().isAfter(latest))) {
                latest = t.finishedAt();
            }
        }
        studies.put(studyId, new Cached(byNumber, latest, whole ? now : cached.readAt()));
        return new ArrayList<>(byNumber.values());
    }

    /** Forgets every study not in {@code running}: their histories are read whole if they run again. */
    synchronized void keepOnly(Collection<Long> running) {
        studies.keySet().retainAll(running);
    }
}
