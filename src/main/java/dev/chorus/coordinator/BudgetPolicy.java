package dev.chorus.coordinator;

import dev.chorus.spec.StudySpec;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import java.time.Duration;
import java.time.Instant;

/**
 * What the coordinator does next for a running study, decided from its budget, its trial counts, the
 * worker time it has spent and the clock alone. A pure function: the coordinator reads the inputs and
 * carries the decision out (failing trials, sampling, inserting, finishing), so every rule of the budget
 * is tested without a database ({@code BudgetPolicyTest}).
 *
 * <p>The rules, in order: a spent wall-clock budget, then a spent worker-time budget, fail the waiting
 * trials and finish the study once nothing runs; a generation still training (generational) or enough
 * open trials (steady state) means wait; a study whose every finished trial failed, with none open,
 * fails; a spent trial budget finishes the study once nothing is open; otherwise propose as many
 * candidates as there is room for, in the next generation.
 */
final class BudgetPolicy {

    private BudgetPolicy() {
    }

    /**
     * The parts of a study's definition the policy reads.
     *
     * @param maxWorkerTime null when the study sets no worker-time budget
     * @param concurrency   open trials a steady-state study keeps
     * @param population    trials of one generation of a generational study
     */
    record Budget(int maxTrials, Duration maxWallClock, Duration maxWorkerTime, boolean steadyState,
                  int concurrency, int population) {

        static Budget of(StudySpec spec) {
            return new Budget(spec.budget().maxTrials(), spec.budget().maxWallClock(), spec.budget().maxWorkerTime(),
                    spec.schedule().steadyState(), spec.schedule().concurrency(), spec.population());
        }
    }

    /** What to do. */
    sealed interface Decision permits Wait, OutOfTime, EveryTrialFailed, BudgetSpent, Propose {
    }

    /** Nothing to do now: trials are being trained. */
    record Wait() implements Decision {
    }

    /**
     * A time budget ran out: fail the waiting trials with {@code reason}, and finish the study with
     * {@code why} when {@code finish} (no trial is running any more).
     */
    record OutOfTime(String reason, String why, boolean finish) implements Decision {
    }

    /** Every finished trial failed and none is open: the study fails. */
    record EveryTrialFailed() implements Decision {
    }

    /** The trial budget is spent; when {@code idle} (nothing open) the study may finish with {@code why}. */
    record BudgetSpent(String why, boolean idle) implements Decision {
    }

    /** Propose up to {@code count} candidates as generation {@code generation}. */
    record Propose(int count, int generation) implements Decision {
    }

    /**
     * @param startedAt  when the study started, or null if it has not (its wall clock has not begun)
     * @param workerTime the worker time its trials have used so far; read only when the budget sets a
     *                   limit, null otherwise
     */
    static Decision decide(Budget budget, TrialStore.Counts counts, Instant startedAt, Duration workerTime,
                           Instant now) {
        boolean running = counts.of(TrialState.RUNNING) > 0;
        if (startedAt != null && now.isAfter(startedAt.plus(budget.maxWallClock()))) {
            return new OutOfTime("the study's wall-clock budget ran out before this trial ran",
                    "wall-clock budget of " + budget.maxWallClock().toMinutes() + " min spent", !running);
        }
        if (budget.maxWorkerTime() != null && workerTime != null && workerTime.compareTo(budget.maxWorkerTime()) >= 0) {
            return new OutOfTime("the study's worker-time budget ran out before this trial ran",
                    "worker-time budget of " + budget.maxWorkerTime().toMinutes() + " min spent", !running);
        }
        int room = budget.steadyState() ? budget.concurrency() - counts.open()
                : counts.open() > 0 ? 0 : budget.population();
        if (room <= 0) {
            return new Wait(); // generational: the current generation is still training; steady: enough open
        }
        if (counts.total() > 0 && counts.open() == 0 && counts.of(TrialState.COMPLETE) == 0) {
            return new EveryTrialFailed();
        }
        int remaining = budget.maxTrials() - counts.total();
        if (remaining <= 0) {
            return new BudgetSpent("trial budget of " + budget.maxTrials() + " reached", counts.open() == 0);
        }
        return new Propose(Math.min(room, remaining), counts.maxGeneration() + 1);
    }
}
