package dev.chorus.coordinator;

import dev.chorus.trial.Trial;
import java.util.List;

/**
 * Names the configurations a study's answer rests on once its search is over, so that the coordinator
 * can give them the confirmation's runs ({@code evaluation.confirm}). Which configurations those are is
 * the report's to say, so the report implements this and the coordinator, which adds the runs, asks
 * through it.
 *
 * <p>Implementations read the store in the caller's transaction, choose nothing by a test metric, and
 * must be thread-safe.
 */
public interface ConfirmationTarget {

    /**
     * The first runs of the configurations to confirm now: the report's shortlist (its recommendation,
     * the knee and the best validation gain from sharing) and every task's tuned reference that is a
     * configuration of the study (not the fixed baseline), without repeats; empty when nothing is
     * recommended yet.
     */
    List<Trial> configurations(long studyId);
}
