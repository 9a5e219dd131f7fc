package dev.chorus.trial;

import java.util.Objects;

/**
 * How one task fared in a trial against its single-task baseline, on two splits.
 *
 * <p>Only {@link #validation()} may be used to choose: the search, the pruners, the Pareto front,
 * the hypervolume, the constraints and the recommendation read it. {@link #test()} is measured on
 * rows that nothing was chosen by and is what a report may state as the expected effect; it is
 * never an input to a decision.
 *
 * @param task         the task's name
 * @param validation   the metric on the validation split, at the epoch early stopping chose on it
 * @param test         the metric on the held-out test split, for the same parameters
 * @param baselineHash the stored baseline compared with ({@code GET /api/baselines/{hash}}), or null
 *                     for results stored before baselines were linked
 */
public record TaskResult(String task, Score validation, Score test, String baselineHash) {

    public TaskResult {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(test, "test");
    }

    /** A result not linked to a stored baseline. */
    public TaskResult(String task, Score validation, Score test) {
        this(task, validation, test, null);
    }
}
