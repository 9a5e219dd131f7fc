package dev.chorus.trial;

import dev.chorus.trial.Baseline;
import java.util.Optional;

/**
 * Cached single-task baselines, keyed by content hash.
 *
 * @implNote Thread-safe. Saving a hash that is already stored keeps the first row: two workers that
 *     trained the same baseline at once both succeed and agree on one value.
 */
public interface BaselineStore {

    Optional<Baseline> find(String hash);

    /** Stores {@code baseline} unless its hash is already stored; returns the stored one. */
    Baseline save(Baseline baseline);
}
