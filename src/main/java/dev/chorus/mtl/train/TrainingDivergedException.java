package dev.chorus.mtl.train;

/**
 * Training diverged: the model is a failure, not a result. Thrown by {@link MtlTrainer#train} when
 * a task's training loss becomes NaN or infinite, when the model outputs NaN or infinity for a
 * validation or test row, or when a task's validation outputs are the same for every row in every
 * epoch after the first (a collapsed network). {@link Divergence} has the exact rules.
 *
 * <p>The message starts with {@code "diverged: "} and names the task and what was seen, for example
 * {@code "diverged: task 'left' gives the same probabilities for all 200 validation rows (class 0
 * for every row) in epochs 2 to 4"}.
 */
public final class TrainingDivergedException extends RuntimeException {

    TrainingDivergedException(String message) {
        super(message);
    }
}
