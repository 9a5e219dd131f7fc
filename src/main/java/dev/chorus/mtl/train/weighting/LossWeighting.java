package dev.chorus.mtl.train.weighting;

import dev.chorus.mtl.Weighting;
import java.util.Objects;

/**
 * Turns one training step's task losses (and, for gradient methods, the tasks' gradients with
 * respect to the shared representation) into the update of the shared parameters.
 *
 * <p>The trainer calls {@link #combine} once per step. When it returns {@link Combination.Weights},
 * the model is updated with the gradient of {@code sum_t w_t L_t}. When it returns
 * {@link Combination.SharedGradient}, the shared part of the model is back-propagated from that
 * gradient of the representation, and every task head from its own loss (weight 1), as in LibMTL's
 * representation-gradient mode. A method that needs gradients may still answer with weights
 * (GradNorm, Nash-MTL): the gradients only inform its choice.
 *
 * @apiNote Implementations hold per-run state (running averages, learned weights): the trainer makes
 *     a new instance per model with {@link #of} and calls it from one thread; state that depends on the
 *     task count is sized by the first step, and a later step with another count is rejected. They
 *     must be deterministic given the seed they were created with. A task with no labelled row in a batch is
 *     absent ({@code step.present()[t] == false}): its loss is 0 and its gradient row all zeros;
 *     implementations must give it weight 0, leave it out of gradient combinations, and not update
 *     their state from it. Implementations are plain Java over {@code double} arrays, so they can be
 *     tested without DJL.
 */
public interface LossWeighting {

    /** Whether {@link Step#gradients()} must be filled: true for gradient-manipulation methods. */
    default boolean needsGradients() {
        return false;
    }

    /** The update for this step. */
    Combination combine(Step step);

    /** Called after every epoch with each task's mean training loss over the epoch (NaN if absent). */
    default void endEpoch(double[] meanLosses) {
    }

    /** Whether the trainer must call {@link #afterStep} (re-evaluating the batch after the update). */
    default boolean needsLossesAfterStep() {
        return false;
    }

    /**
     * The same batch's task losses after the optimiser step, for methods that learn from the change;
     * called at most once after each {@link #combine}, same task order (entries of tasks absent from
     * that step are ignored).
     */
    default void afterStep(double[] lossesAfter) {
    }

    /**
     * One step as the weighting sees it.
     *
     * @param losses    each task's mean loss over its labelled rows of the batch (0 when absent)
     * @param present   whether the task has a labelled row in the batch
     * @param gradients when {@link #needsGradients()}: row t is dL_t/dz flattened, z the shared
     *                  representation of the batch, every row the same length (rows of absent tasks
     *                  are ignored); otherwise null
     * @param epoch     0-based epoch
     * @param iteration 0-based step count since training started
     */
    record Step(double[] losses, boolean[] present, double[][] gradients, int epoch, long iteration) {
        public Step {
            Objects.requireNonNull(losses, "losses");
            Objects.requireNonNull(present, "present");
            if (losses.length != present.length || gradients != null && gradients.length != losses.length) {
                throw new IllegalArgumentException("losses, present and gradients need one entry per task");
            }
        }

        public int tasks() {
            return losses.length;
        }
    }

    /** What a weighting decides for one step. */
    sealed interface Combination {
        /** Back-propagate {@code sum_t weights[t] * L_t}. */
        record Weights(double[] weights) implements Combination {
        }

        /** Back-propagate the shared part from this gradient of z (same layout as a gradient row). */
        record SharedGradient(double[] gradient) implements Combination {
        }
    }

    /**
     * A fresh instance of a method for one model.
     *
     * @param fixed        the candidate's per-task weights (used by {@link Weighting#FIXED})
     * @param learningRate the model's learning rate, for methods that learn their own weights
     * @param seed         seeds methods that draw random numbers
     */
    static LossWeighting of(Weighting method, double[] fixed, double learningRate, long seed) {
        return Weightings.create(method, fixed, learningRate, seed);
    }
}
