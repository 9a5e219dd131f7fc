package dev.chorus.trial;

import dev.chorus.trial.Baseline;
import java.util.Optional;

/**
 * Cached single-task baselines, keyed by the coordinator's keys ({@code study.BaselineKeys}).
 *
 * @implNote Thread-safe. A stored row is never replaced: saving a hash that is already stored keeps the
 *     first row and returns it, so two workers that trained the same baseline at once agree on one value,
 *     and the caller refuses a second save whose values differ ({@link Baseline#sameValues}).
 */
public interface BaselineStore {

    Optional<Baseline> find(String hash);

    /** Stores {@code baseline} unless its hash is already stored; returns the stored one, either way. */
    Baseline save(Baseline baseline);
}
