package dev.chorus.trial;

/**
 * How one task fared in a trial against its single-task baseline.
 *
 * @param task     the task's name
 * @param value    the task's primary metric on the test split, trained in the trial's model
 * @param baseline the same metric of the task trained alone
 * @param delta    relative change in percent, positive when the trial beat the baseline (see
 *                 {@link DeltaM#relative})
 * @param baselineHash the stored baseline compared with ({@code GET /api/baselines/{hash}}), or null
 *                 for results stored before baselines were linked
 */
public record TaskResult(String task, double value, double baseline, double delta, String baselineHash) {

    /** A result not linked to a stored baseline. */
    public TaskResult(String task, double value, double baseline, double delta) {
        this(task, value, baseline, delta, null);
    }
}
