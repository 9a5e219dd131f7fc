package dev.chorus.dispatch;

import dev.chorus.dispatch.TrialProtocol.Assignment;
import dev.chorus.dispatch.TrialProtocol.Completion;

/**
 * Trains one claimed trial: what a worker does between claiming a trial and finishing it.
 *
 * @apiNote Implementations report intermediate values through {@code coordinator} as they go and
 *     return {@link Outcome.Pruned} as soon as it answers that the trial should stop. They throw when
 *     the trial cannot be trained (the worker then fails it with the exception's message); a
 *     {@link TrialProtocol.LeaseLostException} from the coordinator must propagate. One worker calls
 *     its runner from one thread at a time.
 */
@FunctionalInterface
public interface AssignmentRunner {

    Outcome run(Assignment assignment, TrialProtocol coordinator) throws Exception;

    /** How a trained trial ended. */
    sealed interface Outcome {
        /** Trained to the end, with per-task results and any baselines the worker had to train. */
        record Completed(Completion completion) implements Outcome {
        }

        /** Stopped early because the pruner said so. */
        record Pruned() implements Outcome {
        }
    }
}
