package dev.chorus.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.study.Study;
import dev.chorus.study.StudyState;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link TrialStore} contract, against the real PostgreSQL. */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class TrialStoreContractTest {

    static final Instant T0 = StudyStoreContractTest.T0;

    @Inject
    StudyStore studies;
    @Inject
    TrialStore trials;

    @BeforeEach
    @AfterEach
    void pauseEveryRunningStudy() {
        // claimNext serves every running study: keep other tests' studies out of the queue
        TestStudies.pauseEveryRunningStudy(studies);
    }

    static Candidate candidate(int groupOfY, double weight) {
        return new Candidate(List.of(0, groupOfY), List.of(1.0, weight), Weighting.FIXED,
                new TrainSettings(16, 1, 0.01, 5, 32));
    }

    private Study running(String name) {
        Study s = studies.create(StudyStoreContractTest.newStudy(name), T0);
        studies.transition(s.id(), StudyState.CREATED, StudyState.RUNNING, null, T0);
        return s;
    }

    @Test
    void insertNumbersTrialsDenselyAcrossGenerationsAndKeepsCandidates() {
        Study s = running("numbering");
        List<Trial> g0 = trials.insert(s.id(), 0, List.of(candidate(0, 1.0), candidate(1, 2.0)), T0);
        List<Trial> g1 = trials.insert(s.id(), 1, List.of(candidate(1, 3.5)), T0);
        assertThat(g0).extracting(Trial::number).containsExactly(0, 1);
        assertThat(g1).extracting(Trial::number).containsExactly(2);
        assertThat(g1.getFirst().candidate()).isEqualTo(candidate(1, 3.5));
        assertThat(g1.getFirst().state()).isEqualTo(TrialState.WAITING);
        assertThat(trials.counts(s.id()).maxGeneration()).isEqualTo(1);
        assertThat(trials.counts(s.id()).of(TrialState.WAITING)).isEqualTo(3);
        assertThat(trials.list(s.id(), 1, 10)).extracting(Trial::number).containsExactly(1, 2);
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
                Optional<Trial> t;
                while ((t = trials.claimNext(name, T0)).isPresent()) {
                    assertThat(t.get().state()).isEqualTo(TrialState.RUNNING);
                    assertThat(t.get().worker()).isEqualTo(name);
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
    void pausedStudiesAreNotServed() {
        Study s = running("paused");
        trials.insert(s.id(), 0, List.of(candidate(0, 1.0)), T0);
        studies.transition(s.id(), StudyState.RUNNING, StudyState.PAUSED, null, T0);
        assertThat(trials.claimNext("w", T0)).isEmpty();
    }

    @Test
    void completeStoresResultsIntermediatesAndOnlyOnce() {
        Study s = running("complete");
        Trial t = trials.insert(s.id(), 0, List.of(candidate(1, 1.0)), T0).getFirst();
        Trial claimed = trials.claimNext("w", T0.plusSeconds(1)).orElseThrow();
        assertThat(claimed.id()).isEqualTo(t.id());
        assertThat(claimed.attempts()).isEqualTo(1);
        List<TaskResult> results = List.of(new TaskResult("x", 0.8, 0.75, 6.67), new TaskResult("y", 1.0, 1.1, 9.09));
        assertThat(trials.complete(t.id(), results, 7.88, List.of(Map.of("x", 0.7), Map.of("x", 0.8)),
                T0.plusSeconds(9))).isTrue();
        assertThat(trials.complete(t.id(), results, 7.88, List.of(), T0.plusSeconds(10))).isFalse();
        Trial done = trials.find(t.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(TrialState.COMPLETE);
        assertThat(done.deltaM()).isEqualTo(7.88);
        assertThat(done.results()).containsExactlyInAnyOrderElementsOf(results);
        assertThat(done.startedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(done.finishedAt()).isEqualTo(T0.plusSeconds(9));
        assertThat(trials.listFinished(s.id())).extracting(Trial::id).containsExactly(t.id());
    }

    @Test
    void requeueGivesRunningTrialsBackAndFailsThoseOutOfAttempts() {
        Study s = running("requeue");
        trials.insert(s.id(), 0, List.of(candidate(0, 1.0), candidate(1, 1.0)), T0);
        Trial first = trials.claimNext("w", T0).orElseThrow();
        assertThat(trials.requeueRunning(2, T0)).as("other tests' running trials count too").isGreaterThanOrEqualTo(1);
        Trial again = trials.claimNext("w", T0).orElseThrow();
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.attempts()).isEqualTo(2);
        trials.requeueRunning(2, T0);
        Trial gaveUp = trials.find(first.id()).orElseThrow();
        assertThat(gaveUp.state()).isEqualTo(TrialState.FAILED);
        assertThat(gaveUp.error()).contains("gave up after 2 attempts");
    }

    @Test
    void failAndFailWaitingFinishTrialsWithTheirReason() {
        Study s = running("fail");
        List<Trial> ts = trials.insert(s.id(), 0, List.of(candidate(0, 1.0), candidate(1, 1.0), candidate(1, 2.0)), T0);
        Trial claimed = trials.claimNext("w", T0).orElseThrow();
        assertThat(trials.fail(claimed.id(), "out of memory", T0)).isTrue();
        assertThat(trials.fail(claimed.id(), "again", T0)).isFalse();
        assertThat(trials.failWaiting(s.id(), "cancelled", T0)).isEqualTo(2);
        assertThat(trials.find(claimed.id()).orElseThrow().error()).isEqualTo("out of memory");
        assertThat(trials.find(ts.get(2).id()).orElseThrow().error()).isEqualTo("cancelled");
        assertThat(trials.counts(s.id()).of(TrialState.FAILED)).isEqualTo(3);
    }

    @Test
    void workerTimeSumsFinishedTrialsAndRunningOnesUntilNow() {
        Study s = running("worker-time");
        trials.insert(s.id(), 0, List.of(candidate(0, 1.0), candidate(1, 1.0), candidate(1, 2.0)), T0);
        Trial a = trials.claimNext("w", T0).orElseThrow();
        trials.complete(a.id(), List.of(), 0, List.of(), T0.plusSeconds(30));
        trials.claimNext("w", T0.plusSeconds(100)).orElseThrow();
        assertThat(trials.workerTime(s.id(), T0.plusSeconds(110))).isEqualTo(java.time.Duration.ofSeconds(40));
    }

    @Test
    void bestIsTheCompleteTrialWithTheHighestDeltaM() {
        Study s = running("best");
        assertThat(trials.best(s.id())).isEmpty();
        trials.insert(s.id(), 0, List.of(candidate(0, 1.0), candidate(1, 1.0), candidate(1, 2.0)), T0);
        for (double dm : new double[] {1.5, 4.0, 4.0}) {
            Trial t = trials.claimNext("w", T0).orElseThrow();
            trials.complete(t.id(), List.of(), dm, List.of(), T0);
        }
        assertThat(trials.best(s.id())).get().extracting(Trial::number, Trial::deltaM).containsExactly(1, 4.0);
    }

    @Test
    void frontIsReplacedAsAWhole() {
        Study s = running("front");
        List<Trial> ts = trials.insert(s.id(), 0, List.of(candidate(0, 1.0), candidate(1, 1.0), candidate(1, 2.0)), T0);
        trials.replaceFront(s.id(), List.of(ts.get(0).id(), ts.get(2).id()));
        assertThat(trials.front(s.id())).extracting(Trial::number).containsExactly(0, 2);
        trials.replaceFront(s.id(), List.of(ts.get(1).id()));
        assertThat(trials.front(s.id())).extracting(Trial::number).containsExactly(1);
    }
}
