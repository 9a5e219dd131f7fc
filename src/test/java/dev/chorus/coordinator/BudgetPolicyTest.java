package dev.chorus.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.coordinator.BudgetPolicy.Budget;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The budget's rules as a pure function: no database, no clock but the one passed in. */
class BudgetPolicyTest {

    private static final Instant START = Instant.parse("2026-12-05T00:00:00Z");
    private static final Budget GENERATIONAL = new Budget(10, Duration.ofMinutes(60), null, false, 0, 4);
    private static final Budget STEADY = new Budget(10, Duration.ofMinutes(60), null, true, 3, 4);

    /** Counts from pairs of (state, count), the latest generation {@code generation}. */
    private static TrialStore.Counts counts(int generation, Object... stateAndCount) {
        Map<TrialState, Integer> byState = new EnumMap<>(TrialState.class);
        for (int i = 0; i < stateAndCount.length; i += 2) {
            byState.put((TrialState) stateAndCount[i], (Integer) stateAndCount[i + 1]);
        }
        return new TrialStore.Counts(byState, generation);
    }

    private static BudgetPolicy.Decision decide(Budget b, TrialStore.Counts c, Duration workerTime, Duration elapsed) {
        return BudgetPolicy.decide(b, c, START, workerTime, START.plus(elapsed));
    }

    @Test
    void aNewStudyProposesItsFirstGeneration() {
        assertThat(decide(GENERATIONAL, counts(-1), null, Duration.ZERO)).isEqualTo(new BudgetPolicy.Propose(4, 0));
        assertThat(decide(STEADY, counts(-1), null, Duration.ZERO)).as("steady: as many as it keeps open")
                .isEqualTo(new BudgetPolicy.Propose(3, 0));
    }

    @Test
    void aGenerationStillTrainingMeansWaitAndTheNextIsCutToTheBudget() {
        assertThat(decide(GENERATIONAL, counts(0, TrialState.COMPLETE, 3, TrialState.RUNNING, 1), null, Duration.ZERO))
                .isEqualTo(new BudgetPolicy.Wait());
        assertThat(decide(GENERATIONAL, counts(1, TrialState.COMPLETE, 8), null, Duration.ZERO))
                .as("2 left of 10").isEqualTo(new BudgetPolicy.Propose(2, 2));
        assertThat(decide(STEADY, counts(4, TrialState.COMPLETE, 5, TrialState.RUNNING, 2), null, Duration.ZERO))
                .as("steady: refill the one open place").isEqualTo(new BudgetPolicy.Propose(1, 5));
        assertThat(decide(STEADY, counts(4, TrialState.RUNNING, 2, TrialState.WAITING, 1), null, Duration.ZERO))
                .isEqualTo(new BudgetPolicy.Wait());
    }

    @Test
    void aSpentTrialBudgetFinishesOnlyOnceNothingIsOpen() {
        assertThat(decide(GENERATIONAL, counts(2, TrialState.COMPLETE, 9, TrialState.PRUNED, 1), null, Duration.ZERO))
                .isEqualTo(new BudgetPolicy.BudgetSpent("trial budget of 10 reached", true));
        assertThat(decide(STEADY, counts(2, TrialState.COMPLETE, 9, TrialState.RUNNING, 1), null, Duration.ZERO))
                .isEqualTo(new BudgetPolicy.BudgetSpent("trial budget of 10 reached", false));
    }

    @Test
    void everyTrialFailedFailsTheStudyOnceNoneIsOpen() {
        assertThat(decide(GENERATIONAL, counts(0, TrialState.FAILED, 4), null, Duration.ZERO))
                .isEqualTo(new BudgetPolicy.EveryTrialFailed());
        assertThat(decide(GENERATIONAL, counts(0, TrialState.FAILED, 3, TrialState.COMPLETE, 1), null, Duration.ZERO))
                .isEqualTo(new BudgetPolicy.Propose(4, 1));
        assertThat(decide(STEADY, counts(0, TrialState.FAILED, 3, TrialState.RUNNING, 1), null, Duration.ZERO))
                .as("one still running may complete").isEqualTo(new BudgetPolicy.Propose(2, 1));
    }

    @Test
    void aSpentWallClockFailsTheWaitingAndFinishesOnceNothingRuns() {
        TrialStore.Counts running = counts(1, TrialState.RUNNING, 1, TrialState.WAITING, 3);
        assertThat(decide(GENERATIONAL, running, null, Duration.ofMinutes(60))).as("exactly at the limit: not yet")
                .isEqualTo(new BudgetPolicy.Wait());
        assertThat(decide(GENERATIONAL, running, null, Duration.ofMinutes(61))).isEqualTo(new BudgetPolicy.OutOfTime(
                "the study's wall-clock budget ran out before this trial ran", "wall-clock budget of 60 min spent",
                false));
        assertThat(((BudgetPolicy.OutOfTime) decide(GENERATIONAL, counts(1, TrialState.WAITING, 3), null,
                Duration.ofMinutes(61))).finish()).isTrue();
        assertThat(BudgetPolicy.decide(GENERATIONAL, counts(-1), null, null, START.plus(Duration.ofDays(9))))
                .as("not started: no wall clock yet").isEqualTo(new BudgetPolicy.Propose(4, 0));
    }

    @Test
    void aSpentWorkerTimeBudgetStopsTheStudyLikeTheWallClock() {
        Budget limited = new Budget(10, Duration.ofMinutes(60), Duration.ofMinutes(30), false, 0, 4);
        assertThat(decide(limited, counts(0, TrialState.COMPLETE, 4), Duration.ofMinutes(29), Duration.ZERO))
                .isEqualTo(new BudgetPolicy.Propose(4, 1));
        assertThat(decide(limited, counts(0, TrialState.COMPLETE, 4), Duration.ofMinutes(30), Duration.ZERO))
                .isEqualTo(new BudgetPolicy.OutOfTime("the study's worker-time budget ran out before this trial ran",
                        "worker-time budget of 30 min spent", true));
    }
}
