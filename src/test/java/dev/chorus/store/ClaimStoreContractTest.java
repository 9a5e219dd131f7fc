package dev.chorus.store;

import static dev.chorus.store.TrialStoreContractTest.candidate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.mtl.Candidate;
import dev.chorus.study.Study;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link ClaimStore} contract (claims, leases, idempotent finishing), against the real PostgreSQL. */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class ClaimStoreContractTest {

    static final Instant T0 = StudyStoreContractTest.T0;

    @Inject
    StudyStore studies;
    @Inject
    TrialStore trials;
    @Inject
    ClaimStore claims;

    @BeforeEach
    @AfterEach
    void pauseEveryRunningStudy() {
        // claims serve every running study: keep other tests' studies out of the queue
        TestStudies.pauseEveryRunningStudy(studies);
    }

    private Study running(String name) {
        Study s = studies.create(StudyStoreContractTest.newStudy(name), T0);
        studies.transition(s.id(), StudyState.CREATED, StudyState.RUNNING, null, T0);
        return s;
    }

    @Test
    void aClaimForOneStudyTakesOnlyThatStudysTrials() {
        Study older = running("claims-older");
        Study asked = running("claims-asked");
        trials.insert(older.id(), 0, List.of(candidate(0, 1.0)), T0);
        trials.insert(asked.id(), 0, List.of(candidate(1, 2.0)), T0);

        Optional<Trial> mine = claims.claimNext("ask", UUID.randomUUID(), T0.plusSeconds(60), T0, asked.id());
        assertThat(mine).get().extracting(Trial::studyId).isEqualTo(asked.id());
        assertThat(claims.claimNext("ask", UUID.randomUUID(), T0.plusSeconds(60), T0, asked.id())).isEmpty();
        assertThat(trials.counts(older.id()).of(TrialState.WAITING)).as("the older study's trial is left").isEqualTo(1);
        assertThat(claims.claimNext("any", UUID.randomUUID(), T0.plusSeconds(60), T0))
                .get().extracting(Trial::studyId).isEqualTo(older.id());
    }

    @Test
    void concurrentWorkersClaimEachTrialExactlyOnce() throws Exception {
        Study s = running("claims");
        List<Candidate> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(candidate(i % 2, 1.0 + i));
        }
        trials.insert(s.id(), 0, many, T0);
        List<Long> claimed = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            String name = "w" + w;
            workers.add(pool.submit(() -> {
                Optional<TestClaims.Held> t;
                while ((t = TestClaims.tryClaim(claims, name, T0)).isPresent()) {
                    assertThat(t.get().trial().state()).isEqualTo(TrialState.RUNNING);
                    assertThat(t.get().trial().worker()).isEqualTo(name);
                    claimed.add(t.get().id());
                }
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        pool.shutdown();
        assertThat(claimed).hasSize(40).doesNotHaveDuplicates();
        assertThat(trials.counts(s.id()).of(TrialState.RUNNING)).isEqualTo(40);
    }

    @Test
    void heldReadsATrialWithItsClaimOrNoneWhenNeverClaimed() {
        Study s = running("held");
        Trial waiting = trials.insert(s.id(), 0, List.of(candidate(0, 1.0)), T0).getFirst();
        ClaimStore.Held unclaimed = claims.held(waiting.id()).orElseThrow();
        assertThat(unclaimed.trial().id()).isEqualTo(waiting.id());
        assertThat(unclaimed.trial().state()).isEqualTo(TrialState.WAITING);
        assertThat(unclaimed.claim()).as("never claimed").isNull();
        assertThat(unclaimed.by(UUID.randomUUID())).isFalse();

        TestClaims.Held mine = TestClaims.claim(claims, "w", T0);
        ClaimStore.Held running = claims.held(mine.id()).orElseThrow();
        assertThat(running.trial().state()).isEqualTo(TrialState.RUNNING);
        assertThat(running.trial().worker()).isEqualTo("w");
        assertThat(running.claim()).isEqualTo(claims.claim(mine.id()).orElseThrow());
        assertThat(running.by(mine.claim())).isTrue();
        assertThat(running.by(UUID.randomUUID())).as("another claim").isFalse();

        assertThat(claims.fail(mine.id(), mine.claim(), "done", T0)).isTrue();
        ClaimStore.Held finished = claims.held(mine.id()).orElseThrow();
        assertThat(finished.claim().id()).as("the last claim stays readable").isEqualTo(mine.claim());
        assertThat(finished.by(mine.claim())).as("it no longer holds a running trial").isFalse();
        assertThat(claims.held(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void pausedStudiesAreNotServed() {
        Study s = running("paused");
        trials.insert(s.id(), 0, List.of(candidate(0, 1.0)), T0);
        studies.transition(s.id(), StudyState.RUNNING, StudyState.PAUSED, null, T0);
        assertThat(claims.claimable(10)).isZero();
        assertThat(TestClaims.tryClaim(claims, "w", T0)).isEmpty();
    }

    @Test
    void claimableCountsWaitingTrialsOfRunningStudiesUpToTheLimit() {
        Study s = running("claimable");
        trials.insert(s.id(), 0, List.of(candidate(0, 1.0), candidate(1, 2.0), candidate(0, 3.0)), T0);
        assertThat(claims.claimable(10)).isEqualTo(3);
        assertThat(claims.claimable(2)).isEqualTo(2);
        TestClaims.claim(claims, "w", T0);
        assertThat(claims.claimable(10)).isEqualTo(2);
    }

    @Test
    void completeStoresResultsOnlyUnderTheHoldingClaimAndOnlyOnce() {
        Study s = running("complete");
        Trial t = trials.insert(s.id(), 0, List.of(candidate(1, 1.0)), T0).getFirst();
        TestClaims.Held held = TestClaims.claim(claims, "w", T0.plusSeconds(1));
        assertThat(held.id()).isEqualTo(t.id());
        assertThat(held.trial().attempts()).isEqualTo(1);
        assertThat(claims.claim(t.id())).get().satisfies(c -> {
            assertThat(c.holds(held.claim())).isTrue();
            assertThat(c.worker()).isEqualTo("w");
            assertThat(c.leaseUntil()).isEqualTo(T0.plusSeconds(1).plus(TestClaims.LEASE));
        });
        List<TaskResult> results = List.of(new TaskResult("x", new Score(0.8, 0.75, 6.67), new Score(0.79, 0.76, 3.95)),
                new TaskResult("y", new Score(1.0, 1.1, 9.09), new Score(1.2, 1.1, -9.09)));
        assertThat(claims.complete(t.id(), UUID.randomUUID(), results, 1, 1, T0)).as("a stranger's claim").isFalse();
        assertThat(claims.lockHeld(t.id(), UUID.randomUUID())).isFalse();
        assertThat(claims.lockHeld(t.id(), held.claim())).isTrue();
        assertThat(TestClaims.complete(claims, held, results, 7.88, T0.plusSeconds(9))).isTrue();
        assertThat(TestClaims.complete(claims, held, results, 7.88, T0.plusSeconds(10))).as("only once").isFalse();
        Trial done = trials.find(t.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(TrialState.COMPLETE);
        assertThat(done.deltaM()).isEqualTo(7.88);
        assertThat(done.results()).containsExactlyInAnyOrderElementsOf(results);
        assertThat(done.startedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(done.finishedAt()).isEqualTo(T0.plusSeconds(9));
        assertThat(claims.claim(t.id())).get().satisfies(c -> {
            assertThat(c.id()).as("the finishing claim stays recorded").isEqualTo(held.claim());
            assertThat(c.state()).isEqualTo(TrialState.COMPLETE);
            assertThat(c.holds(held.claim())).isFalse();
        });
    }

    @Test
    void reportsReplaceValuesPerStepAndANewAttemptStartsAfresh() {
        Study s = running("report");
        Trial t = trials.insert(s.id(), 0, List.of(candidate(1, 1.0)), T0).getFirst();
        TestClaims.Held first = TestClaims.claim(claims, "w", T0);
        assertThat(claims.report(t.id(), first.claim(), 0, Map.of("x", 0.5))).isTrue();
        assertThat(claims.report(t.id(), first.claim(), 0, Map.of("x", 0.6, "y", 0.1))).isTrue();
        assertThat(claims.report(t.id(), first.claim(), 1, Map.of("x", 0.7))).isTrue();
        assertThat(claims.report(t.id(), UUID.randomUUID(), 2, Map.of("x", 0.9))).isFalse();
        assertThat(trials.intermediate(t.id())).containsExactly(Map.of("x", 0.6, "y", 0.1), Map.of("x", 0.7));
        assertThat(claims.release(t.id(), first.claim(), "pod evicted", 3, T0)).isTrue();
        TestClaims.Held second = TestClaims.claim(claims, "w2", T0);
        assertThat(trials.intermediate(t.id())).as("the earlier attempt's values are gone").isEmpty();
        assertThat(claims.report(t.id(), first.claim(), 0, Map.of("x", 0.1))).as("the old claim is dead").isFalse();
        assertThat(claims.prune(t.id(), second.claim(), T0)).isTrue();
        assertThat(trials.find(t.id()).orElseThrow().state()).isEqualTo(TrialState.PRUNED);
    }

    @Test
    void renewExtendsTheLeaseOnlyForTheHolder() {
        Study s = running("renew");
        Trial t = trials.insert(s.id(), 0, List.of(candidate(0, 1.0)), T0).getFirst();
        TestClaims.Held held = TestClaims.claim(claims, "w", T0);
        assertThat(claims.renew(t.id(), held.claim(), T0.plusSeconds(500))).isTrue();
        assertThat(claims.renew(t.id(), UUID.randomUUID(), T0.plusSeconds(900))).isFalse();
        claims.expire(3, T0.plusSeconds(400));
        assertThat(trials.find(t.id()).orElseThrow().state()).as("lease still valid").isEqualTo(TrialState.RUNNING);
        assertThat(claims.claim(t.id())).get().extracting(ClaimStore.Claim::leaseUntil).isEqualTo(T0.plusSeconds(500));
    }

    @Test
    void expiredLeasesGoBackToWaitingThenFailOnceOutOfAttempts() {
        Study s = running("expire");
        Trial t = trials.insert(s.id(), 0, List.of(candidate(0, 1.0)), T0).getFirst();
        TestClaims.Held first = TestClaims.claim(claims, "w1", T0);
        assertThat(claims.expire(2, T0.plus(TestClaims.LEASE).plusSeconds(1))).filteredOn(x -> x.id() == t.id())
                .singleElement().extracting(Trial::state).as("the released trial, as it is now").isEqualTo(TrialState.WAITING);
        Trial waiting = trials.find(t.id()).orElseThrow();
        assertThat(waiting.state()).isEqualTo(TrialState.WAITING);
        assertThat(waiting.error()).contains("lease of worker w1 ran out");
        assertThat(claims.complete(t.id(), first.claim(), List.of(), 0, 0, T0)).as("a late result").isFalse();

        TestClaims.Held second = TestClaims.claim(claims, "w2", T0.plusSeconds(100));
        assertThat(second.trial().attempts()).isEqualTo(2);
        assertThat(claims.expire(2, T0.plusSeconds(100).plus(TestClaims.LEASE).plusSeconds(1)))
                .filteredOn(x -> x.id() == t.id()).singleElement().extracting(Trial::state).isEqualTo(TrialState.FAILED);
        Trial gaveUp = trials.find(t.id()).orElseThrow();
        assertThat(gaveUp.state()).isEqualTo(TrialState.FAILED);
        assertThat(gaveUp.error()).contains("gave up after 2 attempt(s)").contains("w2");
        assertThat(gaveUp.finishedAt()).isNotNull();
    }

    @Test
    void releaseNotesTheReasonAndFailCarriesTheWorkersError() {
        Study s = running("release");
        List<Trial> ts = trials.insert(s.id(), 0, List.of(candidate(0, 1.0), candidate(1, 1.0)), T0);
        TestClaims.Held a = TestClaims.claim(claims, "w", T0);
        assertThat(claims.release(a.id(), UUID.randomUUID(), "nope", 3, T0)).isFalse();
        assertThat(claims.release(a.id(), a.claim(), "pod p1 was OOMKilled", 3, T0)).isTrue();
        assertThat(trials.find(a.id()).orElseThrow()).satisfies(t -> {
            assertThat(t.state()).isEqualTo(TrialState.WAITING);
            assertThat(t.error()).isEqualTo("pod p1 was OOMKilled");
            assertThat(t.startedAt()).isNull();
        });
        TestClaims.Held again = TestClaims.claim(claims, "w", T0);
        assertThat(again.id()).isEqualTo(ts.getFirst().id());
        assertThat(claims.fail(again.id(), again.claim(), "CUDA error", T0)).isTrue();
        assertThat(claims.fail(again.id(), again.claim(), "CUDA error", T0)).isFalse();
        assertThat(trials.find(again.id()).orElseThrow().error()).isEqualTo("CUDA error");
    }
}
