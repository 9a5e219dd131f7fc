package dev.chorus.dispatch;

import dev.chorus.trial.Trial;

/**
 * Runs one claimed trial to its end.
 *
 * @apiNote Implementations must leave the trial finished: stored as complete with its results, or
 *     throw, in which case the worker stores it as failed with the exception's message. They are
 *     called from one worker thread at a time per worker, but several workers may share one executor.
 */
@FunctionalInterface
public interface TrialExecutor {
    void execute(Trial claimed) throws Exception;
}
