package dev.chorus.study;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One value per study, computed again only when the study's key differs from the one it was computed
 * under. The caller reads the key before what the value is computed from, so a change in between makes
 * the next call compute again: a value is never kept under a key newer than its data.
 *
 * @param <K> what changes whenever the value can (compared with {@code equals})
 * @param <V> the value
 * @implNote Thread-safe; holds the values of up to {@code studies} studies and forgets them all at once
 *     beyond. Two callers that find the same key missing may both compute; the last one stays.
 */
public final class StudyCache<K, V> {

    private final int studies;
    private final Map<Long, Entry<K, V>> byStudy = new ConcurrentHashMap<>();

    private record Entry<K, V>(K key, V value) {
    }

    /** @param studies studies held at most, 1 or more */
    public StudyCache(int studies) {
        if (studies < 1) {
            throw new IllegalArgumentException("studies must be 1 or more, was " + studies);
        }
        this.studies = studies;
    }

    /** The study's value computed under {@code key}: the one held, or {@code compute}'s, then held. */
    public V get(long studyId, K key, Supplier<V> compute) {
        Entry<K, V> held = byStudy.get(studyId);
        if (held != null && held.key().equals(key)) {
            return held.value();
        }
        V fresh = compute.get();
        if (byStudy.size() >= studies) {
            byStudy.clear();
        }
        byStudy.put(studyId, new Entry<>(key, fresh));
        return fresh;
    }

    /** Forgets every study's value. */
    public void clear() {
        byStudy.clear();
    }
}
