package dev.chorus.search;

import java.util.List;

/**
 * Decides, after an epoch, whether a running trial should stop early.
 *
 * <p>Intermediate values are per-task validation metrics already flipped so that larger is better
 * (one {@code double[]} per epoch, tasks in study order). A pruner compares the running trial's curve
 * with the curves of the study's other trials at the same step; those trials may be complete,
 * pruned or still running, each with the steps it has reached.
 *
 * @apiNote Implementations are stateless and thread-safe: the decision is a pure function of the
 *     arguments, so a coordinator that restarts decides the same way.
 */
@FunctionalInterface
public interface Pruner {

    /**
     * @param step    the epoch just finished, 0-based
     * @param current the running trial's curve, at least {@code step + 1} entries
     * @param others  the other trials' curves
     * @return true to stop the trial now
     */
    boolean prune(int step, List<double[]> current, List<List<double[]>> others);

    /** Never prunes. */
    static Pruner none() {
        return (step, current, others) -> false;
    }

    /**
     * Optuna's median rule, on the mean of the per-task values: stop a trial whose mean at this step
     * is below the median of the other trials' means at the same step.
     *
     * @param startupTrials no pruning until this many other trials have reached the step
     * @param warmupSteps   no pruning before this step
     */
    static Pruner median(int startupTrials, int warmupSteps) {
        return new MedianPruner(startupTrials, warmupSteps);
    }

    /**
     * Asynchronous successive halving (Li et al., MLSys 2020, as Optuna's SuccessiveHalvingPruner): rungs
     * at steps {@code minResource * reductionFactor^k - 1}; at a rung a trial continues only if its
     * mean value is in the top {@code 1/reductionFactor} of all trials that reached that rung.
     */
    static Pruner successiveHalving(int minResource, int reductionFactor) {
        return new SuccessiveHalvingPruner(minResource, reductionFactor);
    }

    /**
     * Chorus's multi-objective rule: stop a trial whose per-task values at this step are Pareto-dominated
     * by the values of at least {@code dominatedBy} other trials at the same step. No task is averaged
     * away, so a trial that is best on one task survives however poor its mean.
     */
    static Pruner paretoDominated(int dominatedBy, int warmupSteps) {
        return new DominationPruner(dominatedBy, warmupSteps);
    }
}
