package dev.chorus.coordinator;

import dev.chorus.trial.Trial;
import java.util.List;
import java.util.Optional;

/**
 * Names the configuration that a study's stability check varies once its search is over: the one the
 * study recommends. The recommendation is the report's to make, so the report implements this and the
 * coordinator, which runs the check, asks through it.
 *
 * <p>Implementations read the store in the caller's transaction and must be thread-safe.
 */
public interface StabilityTarget {

    /** The recommended configuration's first run and the replicates of its complete runs, in order. */
    record Target(Trial recommended, List<Integer> replicates) {

        public Target {
            replicates = List.copyOf(replicates);
        }
    }

    /** The study's recommended configuration now, or empty when nothing is recommended. */
    Optional<Target> of(long studyId);
}
