package dev.chorus.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestClock;
import dev.chorus.TestStudies;
import dev.chorus.store.TestClaims;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import dev.chorus.trial.ClaimStore;
import dev.chorus.trial.Score;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator driven by hand (no background loop, no worker): generations and the worker-time
 * budget, with trial times given explicitly instead of waited for.
 */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class CoordinatorBudgetTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Inject
    StudyService studies;
    @Inject
    Coordinator coordinator;
    @Inject
    TrialStore trials;
    @Inject
    StudyStore store;
    @Inject
    ClaimStore claims;
    @Inject
    TestClock clock;

    @BeforeEach
    void pauseOthers() {
        TestStudies.pauseEveryRunningStudy(store);
    }

    @Test
    void aGenerationIsQueuedOnlyWhenThePreviousOneHasFinished() {
        long id = studies.start(studies.create(TestStudies.tinyYaml(), Path.of(".")).id()).id();
        coordinator.tick();
        assertThat(trials.counts(id).of(TrialState.WAITING)).as("population 4").isEqualTo(4);
        coordinator.tick();
        assertThat(trials.counts(id).total()).as("no second generation while the first waits").isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            TestClaims.complete(claims, TestClaims.claim(claims, "w", T0), List.of(result("a1", 0.7 + i / 100.0, 0.7, i),
                    result("a2", 1, 1, 0), result("c1", 0.6, 0.6, 0)), i / 3.0, T0.plusSeconds(1));
        }
        coordinator.tick();
        assertThat(trials.counts(id).total()).isEqualTo(8);
        assertThat(trials.counts(id).maxGeneration()).isEqualTo(1);
    }

    @Test
    void steadyStateKeepsConcurrencyTrialsOpenAndRefillsAsTheyFinish() {
        String yaml = TestStudies.tinyYaml().replace("  population: 4\n",
                "  population: 4\n  schedule: steady-state\n  concurrency: 2\n");
        long id = studies.start(studies.create(yaml, Path.of(".")).id()).id();
        coordinator.tick();
        assertThat(trials.counts(id).of(TrialState.WAITING)).isEqualTo(2);
        Trial t = TestClaims.claim(claims, "w", T0).trial();
        trials.fail(t.id(), "boom", T0);
        coordinator.tick();
        assertThat(studies.get(id).state()).as("one failure with others open fails nothing").isEqualTo(StudyState.RUNNING);
        assertThat(trials.counts(id).total()).as("refilled without waiting for the other").isEqualTo(3);
        assertThat(trials.counts(id).open()).isEqualTo(2);
    }

    @Test
    void ticksBroughtForwardLeaveTheHousekeepingToTheInterval() {
        long id = studies.start(studies.create(TestStudies.tinyYaml(), Path.of(".")).id()).id();
        coordinator.tick(); // the housekeeping's last run: now
        Instant now = clock.instant();
        TestClaims.Held lost = TestClaims.claim(claims, "w", now.minusSeconds(1800), now.minus(Duration.ofMinutes(20)));
        try {
            clock.advance(Duration.ofMinutes(-10)); // within the interval of the last housekeeping, lease long over
            coordinator.loopTick();
            assertThat(trials.find(lost.id()).orElseThrow().state()).as("a tick within the interval expires nothing")
                    .isEqualTo(TrialState.RUNNING);
            clock.advance(Duration.ofMinutes(11)); // the interval has passed
            coordinator.loopTick();
            assertThat(trials.find(lost.id()).orElseThrow().state()).as("the next one after it does")
                    .isEqualTo(TrialState.WAITING);
        } finally {
            clock.reset();
        }
        assertThat(trials.counts(id).total()).isEqualTo(4);
    }

    @Test
    void aTrialRunningPastItsTimeoutIsFailed() {
        String yaml = TestStudies.tinyYaml().replace("  population: 4\n", "  population: 4\n  trial-timeout-minutes: 1\n");
        long id = studies.start(studies.create(yaml, Path.of(".")).id()).id();
        coordinator.tick();
        // started long ago, lease still valid: only the timeout can end it
        TestClaims.Held stuck = TestClaims.claim(claims, "w", T0, Instant.now().plusSeconds(3600));
        coordinator.tick();
        Trial after = trials.find(stuck.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(TrialState.FAILED);
        assertThat(after.error()).contains("timed out");
        assertThat(TestClaims.complete(claims, stuck, List.of(), 0, T0)).as("a late result is dropped").isFalse();
    }

    @Test
    void theWallClockBudgetStopsTheStudyWithoutWaitingForIt() {
        long id = studies.start(studies.create(TestStudies.tinyYaml(), Path.of(".")).id()).id();
        coordinator.tick();
        assertThat(trials.counts(id).of(TrialState.WAITING)).isEqualTo(4);
        try {
            clock.advance(Duration.ofMinutes(11)); // tiny.yaml: max-minutes 10
            coordinator.tick();
        } finally {
            clock.reset();
        }
        assertThat(studies.get(id).state()).isEqualTo(StudyState.COMPLETED);
        assertThat(trials.list(id, 0, 10)).hasSize(4).allSatisfy(x -> {
            assertThat(x.state()).isEqualTo(TrialState.FAILED);
            assertThat(x.error()).contains("wall-clock budget");
        });
    }

    @Test
    void theWorkerTimeBudgetStopsTheStudy() {
        String yaml = TestStudies.tinyYaml().replace("  max-minutes: 10", "  max-minutes: 10\n  max-worker-hours: 0.01");
        long id = studies.start(studies.create(yaml, Path.of(".")).id()).id();
        coordinator.tick();
        TestClaims.complete(claims, TestClaims.claim(claims, "w", T0), List.of(), 0, T0.plusSeconds(37)); // 0.01 h = 36 s
        coordinator.tick();
        assertThat(studies.get(id).state()).isEqualTo(StudyState.COMPLETED);
        assertThat(trials.counts(id).of(TrialState.FAILED)).as("the rest of the generation never ran").isEqualTo(3);
        assertThat(trials.list(id, 0, 10)).filteredOn(x -> x.state() == TrialState.FAILED)
                .allSatisfy(x -> assertThat(x.error()).contains("worker-time budget"));
    }

    /** A result whose validation and test scores agree. */
    private static TaskResult result(String task, double value, double baseline, double delta) {
        Score score = new Score(value, baseline, delta);
        return new TaskResult(task, score, score);
    }
}
