package dev.chorus.trial;

import dev.chorus.mtl.Candidate;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one trial: a candidate, where it is in its life and, once complete, how each task
 * fared. Immutable; a later read of the store may differ.
 *
 * @param id         store-wide id
 * @param studyId    the study it belongs to
 * @param number     0, 1, 2, ... in the order the study created its trials
 * @param generation the search generation that proposed it
 * @param replicate  0 for a configuration's first run; 1, 2, ... for its repeats, which train on other
 *                   seeds and train/validation resamples
 * @param repeatOf   the id of the trial whose configuration this one repeats, or null for a first run
 * @param variantOf  for a run of the stability check, the id of the recommended configuration (its first
 *                   run) that this run varies; null for the search's own trials
 * @param candidate  what is trained
 * @param state      where it is in its life
 * @param attempts   how often a worker has claimed it
 * @param worker     the worker that holds or last held it, or null
 * @param deltaM     Δm in percent on the validation split once complete, else null; what the search
 *                   ranks by
 * @param testDeltaM Δm in percent on the held-out test split once complete, else null; reported, never
 *                   chosen by
 * @param error      why it failed, or null
 * @param results    per-task results once complete, else empty
 */
public record Trial(long id, long studyId, int number, int generation, int replicate, Long repeatOf,
                    Long variantOf, Candidate candidate, TrialState state,
                    int attempts, String worker, Double deltaM, Double testDeltaM,
                    String error, Instant createdAt,
                    Instant startedAt, Instant finishedAt, List<TaskResult> results) {

    public Trial {
        results = List.copyOf(results);
    }

    /** Whether this trial repeats another's configuration rather than proposing one. */
    public boolean isRepeat() {
        return repeatOf != null;
    }

    /** Whether this trial is a run of the stability check, not of the search. */
    public boolean isVariant() {
        return variantOf != null;
    }

    /** The id of the configuration's first run: this trial's own, or the one it repeats. */
    public long configurationId() {
        return repeatOf != null ? repeatOf : id;
    }

    /** The same trial with its per-task results attached. */
    public Trial withResults(List<TaskResult> newResults) {
        return new Trial(id, studyId, number, generation, replicate, repeatOf, variantOf, candidate, state, attempts, worker, deltaM, testDeltaM, error,
                createdAt, startedAt, finishedAt, newResults);
    }
}
