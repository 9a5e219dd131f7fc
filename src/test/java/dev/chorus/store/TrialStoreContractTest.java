package dev.chorus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.study.Study;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import dev.chorus.trial.ClaimStore;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link TrialStore} contract, against the real PostgreSQL; claims have their own ({@link ClaimStoreContractTest}),
 * the front and its hypervolume theirs ({@link FrontStoreContractTest}).
 */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class TrialStoreContractTest {

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

    static Candidate candidate(int groupOfY, double weight) {
        return new Candidate(List.of(0, groupOfY), List.of(1.0, weight), Weighting.FIXED,
                new TrainSettings(16, 1, 0.01, 5, 32));
    }

    Study running(String name) {
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
    void repeatsAreNumberedAfterTheLastTrialAndNoInsertPassesTheBudget() {
        Study s = running("repeats");
        List<Trial> firsts = trials.insert(s.id(), 0, List.of(candidate(0, 1.0), candidate(1, 2.0)), 5, T0);
        List<Trial> repeats = trials.insertRepeats(firsts.getFirst(), 2, 5, T0);
        assertThat(repeats).extracting(Trial::number).containsExactly(2, 3);
        assertThat(repeats).extracting(Trial::replicate).containsExactly(1, 2);
        assertThat(repeats).allSatisfy(r -> {
            assertThat(r.repeatOf()).isEqualTo(firsts.getFirst().id());
            assertThat(r.candidate()).isEqualTo(firsts.getFirst().candidate());
            assertThat(r.isRepeat()).isTrue();
        });
        assertThat(trials.insertRepeats(firsts.getFirst(), 2, 5, T0)).as("one place left in a budget of 5")
                .extracting(Trial::replicate).containsExactly(3);
        assertThat(trials.insert(s.id(), 1, List.of(candidate(1, 3.0)), 5, T0)).as("the budget is spent").isEmpty();
        assertThat(trials.repeats(List.of(firsts.getFirst().id()))).hasSize(3);
        assertThat(trials.repeats(List.of(firsts.getLast().id()))).isEmpty();
        assertThat(trials.racing(s.id())).extracting(Trial::id).containsExactly(firsts.getFirst().id());
        assertThat(trials.firstRun(s.id(), firsts.getFirst().candidate())).map(Trial::number).as("a repeat is no new candidate").contains(0);
        assertThatThrownBy(() -> trials.insertRepeats(repeats.getFirst(), 1, 9, T0)).hasMessageContaining("repeat");
    }

    @Test
    void stabilityVariantsRunOnTheGivenReplicatesOutsideTheBudgetAndOutsideEverySearchRead() {
        Study s = running("variants");
        List<Trial> firsts = trials.insert(s.id(), 0, List.of(candidate(0, 1.0), candidate(1, 2.0)), 2, T0);
        Trial recommended = firsts.getFirst();
        List<Trial> variants = trials.insertVariants(recommended, List.of(candidate(0, 1.5), candidate(0, 0.5)),
                List.of(0, 2), T0);
        assertThat(variants).as("numbered after the last trial, even with the budget of 2 spent")
                .extracting(Trial::number).containsExactly(2, 3, 4, 5);
        assertThat(variants).extracting(Trial::replicate).containsExactly(0, 2, 0, 2);
        assertThat(variants).allSatisfy(v -> assertThat(v.variantOf()).isEqualTo(recommended.id()));
        assertThat(variants.get(0).repeatOf()).isNull();
        assertThat(variants.get(1).repeatOf()).as("a later replicate repeats its variant's first run")
                .isEqualTo(variants.get(0).id());
        assertThat(variants.get(3).repeatOf()).isEqualTo(variants.get(2).id());
        assertThat(trials.variants(s.id())).extracting(Trial::id).isEqualTo(variants.stream().map(Trial::id).toList());
        assertThat(trials.counts(s.id()).total()).as("the search's trials only").isEqualTo(2);
        assertThat(trials.insert(s.id(), 1, List.of(candidate(1, 3.0)), 2, T0)).as("variants take no budget").isEmpty();
        assertThat(trials.list(s.id(), 0, 100)).extracting(Trial::number).containsExactly(0, 1);
        assertThat(trials.page(s.id(), new TrialStore.TrialQuery(Set.of(), TrialStore.TrialOrder.NUMBER, false, 0,
                100))).extracting(Trial::number).containsExactly(0, 1);
        assertThat(trials.racing(s.id())).as("a variant's open repeats race nothing").isEmpty();
        assertThat(trials.firstRun(s.id(), candidate(0, 1.5))).map(Trial::number).as("a variant is no candidate").isEmpty();
        assertThat(trials.failWaiting(s.id(), "stopped", T0)).isEqualTo(6);
        assertThat(trials.listFinished(s.id())).extracting(Trial::number).containsExactly(0, 1);
        assertThat(trials.listFinishedSince(s.id(), T0)).extracting(Trial::number).containsExactly(0, 1);
        assertThat(trials.find(variants.get(1).id()).orElseThrow().isVariant()).isTrue();
        assertThatThrownBy(() -> trials.insertVariants(variants.getFirst(), List.of(candidate(0, 1.0)), List.of(0), T0))
                .hasMessageContaining("not a first run of the search");
        assertThatThrownBy(() -> trials.insertVariants(recommended, List.of(candidate(0, 1.0)), List.of(1), T0))
                .hasMessageContaining("replicate 0");
    }

    @Test
    void failAndFailWaitingFinishTrialsWithTheirReason() {
        Study s = running("fail");
        List<Trial> ts = trials.insert(s.id(), 0, List.of(candidate(0, 1.0), candidate(1, 1.0), candidate(1, 2.0)), T0);
        Trial claimed = TestClaims.claim(claims, "w", T0).trial();
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
        TestClaims.Held a = TestClaims.claim(claims, "w", T0);
        TestClaims.complete(claims, a, List.of(), 0, T0.plusSeconds(30));
        TestClaims.claim(claims, "w", T0.plusSeconds(100));
        assertThat(trials.workerTime(s.id(), T0.plusSeconds(110))).isEqualTo(java.time.Duration.ofSeconds(40));
    }

    @Test
    void finishedSinceReadsOnlyTrialsFinishedFromThatTimeOn() {
        Study s = running("finished-since");
        List<Trial> ts = trials.insert(s.id(), 0, List.of(candidate(0, 1.0), candidate(1, 1.0), candidate(1, 2.0)), T0);
        TestClaims.complete(claims, TestClaims.claim(claims, "w", T0), List.of(), 1.0, T0.plusSeconds(10));
        TestClaims.complete(claims, TestClaims.claim(claims, "w", T0), List.of(), 2.0, T0.plusSeconds(20));
        TestClaims.claim(claims, "w", T0); // running: not finished, never listed
        assertThat(trials.listFinishedSince(s.id(), T0)).extracting(Trial::number).containsExactly(0, 1);
        assertThat(trials.listFinishedSince(s.id(), T0.plusSeconds(20))).extracting(Trial::number).containsExactly(1);
        assertThat(trials.listFinishedSince(s.id(), T0.plusSeconds(21))).isEmpty();
        assertThat(trials.fail(ts.get(2).id(), "lost", T0.plusSeconds(30))).isTrue();
        assertThat(trials.listFinishedSince(s.id(), T0.plusSeconds(25))).extracting(Trial::number).containsExactly(2);
        assertThat(trials.listFinishedSince(s.id(), T0)).extracting(Trial::id)
                .isEqualTo(trials.listFinished(s.id()).stream().map(Trial::id).toList());
    }

    @Test
    void finishedByIdReadsOnlyTheStudysFinishedTrialsAmongThem() {
        Study s = running("finished-by-id");
        Study other = running("finished-by-id-other");
        List<Trial> ts = trials.insert(s.id(), 0, List.of(candidate(0, 1.0), candidate(1, 1.0), candidate(1, 2.0)), T0);
        TestClaims.complete(claims, TestClaims.claim(claims, "w", T0), List.of(), 1.0, T0.plusSeconds(10));
        Trial elsewhere = trials.insert(other.id(), 0, List.of(candidate(0, 1.0)), T0).getFirst();
        assertThat(trials.fail(ts.get(2).id(), "lost", T0.plusSeconds(30))).isTrue();
        assertThat(trials.fail(elsewhere.id(), "lost", T0.plusSeconds(30))).isTrue();
        List<Trial> read = trials.listFinished(s.id(), List.of(ts.get(2).id(), ts.get(1).id(), ts.get(0).id(),
                elsewhere.id(), -1L));
        assertThat(read).as("number order; the waiting one, the other study's and an unknown id left out")
                .extracting(Trial::number).containsExactly(0, 2);
        assertThat(read.getFirst()).isEqualTo(trials.find(ts.get(0).id()).orElseThrow());
        assertThat(trials.listFinished(s.id(), List.of())).isEmpty();
    }

    @Test
    void afterReadsEveryStateInNumberOrderFromTheGivenNumberOn() {
        Study s = running("after");
        List<Trial> ts = trials.insert(s.id(), 0, List.of(candidate(0, 1.0), candidate(1, 1.0), candidate(1, 2.0),
                candidate(0, 2.0)), T0);
        TestClaims.complete(claims, TestClaims.claim(claims, "w", T0), List.of(), 1.0, T0.plusSeconds(10));
        TestClaims.claim(claims, "w", T0);
        trials.insertVariants(trials.find(ts.getFirst().id()).orElseThrow(), List.of(candidate(0, 3.0)), List.of(0), T0);
        assertThat(trials.listAfter(s.id(), -1, 10)).as("complete, running, waiting; the variant left out")
                .extracting(Trial::number, Trial::state).containsExactly(tuple(0, TrialState.COMPLETE),
                        tuple(1, TrialState.RUNNING), tuple(2, TrialState.WAITING), tuple(3, TrialState.WAITING));
        assertThat(trials.listAfter(s.id(), 0, 2)).extracting(Trial::number).containsExactly(1, 2);
        assertThat(trials.listAfter(s.id(), 3, 10)).isEmpty();
        assertThat(trials.listAfter(s.id(), -1, 1).getFirst()).isEqualTo(trials.find(ts.getFirst().id()).orElseThrow());
    }

    @Test
    void bestIsTheCompleteTrialWithTheHighestDeltaM() {
        Study s = running("best");
        assertThat(trials.best(s.id())).isEmpty();
        trials.insert(s.id(), 0, List.of(candidate(0, 1.0), candidate(1, 1.0), candidate(1, 2.0)), T0);
        for (double dm : new double[] {1.5, 4.0, 4.0}) {
            TestClaims.complete(claims, TestClaims.claim(claims, "w", T0), List.of(), dm, T0);
        }
        assertThat(trials.best(s.id())).get().extracting(Trial::number, Trial::deltaM).containsExactly(1, 4.0);
    }

    @Test
    void aCandidateIsFoundByValue() {
        Study s = running("candidates");
        trials.insert(s.id(), 0, List.of(candidate(0, 1.0), candidate(1, 2.5)), T0);
        assertThat(trials.firstRun(s.id(), candidate(1, 2.5))).map(Trial::number).contains(1);
        assertThat(trials.firstRun(s.id(), candidate(1, 2.0))).map(Trial::number).isEmpty();
        assertThat(trials.firstRun(s.id() + 1_000_000, candidate(0, 1.0))).map(Trial::number).isEmpty();
    }

    @Test
    void pageSortsFiltersByStateAndPagesWithoutOverlap() {
        Study s = running("page");
        trials.insert(s.id(), 0, List.of(candidate(0, 1.0), candidate(1, 1.0), candidate(1, 2.0), candidate(0, 3.0),
                candidate(1, 4.0)), T0);
        double[] deltas = {2.0, -1.0, 2.0};
        for (int i = 0; i < deltas.length; i++) {
            TestClaims.complete(claims, TestClaims.claim(claims, "w", T0), List.of(), deltas[i], T0.plusSeconds(10 - i));
        }
        trials.fail(TestClaims.claim(claims, "w", T0).id(), "boom", T0.plusSeconds(20));
        // trial 4 stays waiting: no Δm, not finished
        assertThat(trials.page(s.id(), query(Set.of(), TrialStore.TrialOrder.DELTA_M, true, 0, 10)))
                .extracting(Trial::number).containsExactly(2, 0, 1, 4, 3);
        assertThat(trials.page(s.id(), query(Set.of(), TrialStore.TrialOrder.DELTA_M, false, 0, 10)))
                .extracting(Trial::number).containsExactly(1, 0, 2, 3, 4);
        assertThat(trials.page(s.id(), query(Set.of(TrialState.COMPLETE), TrialStore.TrialOrder.NUMBER, true, 1, 10)))
                .extracting(Trial::number).containsExactly(1, 0);
        assertThat(trials.page(s.id(), query(Set.of(TrialState.FAILED, TrialState.WAITING), TrialStore.TrialOrder.FINISHED,
                true, 0, 10))).extracting(Trial::number, Trial::error).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(3, "boom"), org.assertj.core.groups.Tuple.tuple(4, null));
        assertThat(trials.page(s.id(), query(Set.of(), TrialStore.TrialOrder.MODELS, false, 0, 2)))
                .extracting(Trial::number).containsExactly(0, 3);
        assertThat(trials.page(s.id(), query(Set.of(), TrialStore.TrialOrder.MODELS, false, 2, 2)))
                .extracting(Trial::number).containsExactly(1, 2);
    }

    @Test
    void everyOffsetPageByNumberIsItsSliceOfTheWholeList() {
        Study s = running("page-by-number");
        List<Candidate> seven = java.util.stream.IntStream.range(0, 7).mapToObj(i -> candidate(i % 2, 1.0 + i)).toList();
        List<Trial> ts = trials.insert(s.id(), 0, seven, T0);
        for (int i = 0; i < 4; i++) {
            TestClaims.complete(claims, TestClaims.claim(claims, "w", T0), List.of(), i, T0.plusSeconds(i));
        }
        trials.insertVariants(trials.find(ts.getFirst().id()).orElseThrow(), List.of(candidate(0, 9.0)), List.of(0), T0);
        for (Set<TrialState> states : List.of(Set.<TrialState>of(), Set.of(TrialState.COMPLETE), Set.of(TrialState.WAITING))) {
            for (boolean descending : new boolean[] {false, true}) {
                List<Integer> whole = trials.page(s.id(), query(states, TrialStore.TrialOrder.NUMBER, descending, 0, 100))
                        .stream().map(Trial::number).toList();
                for (int limit = 1; limit <= 3; limit++) {
                    for (int offset = 0; offset <= whole.size() + 1; offset++) {
                        assertThat(trials.page(s.id(), query(states, TrialStore.TrialOrder.NUMBER, descending, offset, limit)))
                                .as("states %s, descending %s, offset %d, limit %d", states, descending, offset, limit)
                                .extracting(Trial::number)
                                .isEqualTo(whole.subList(Math.min(offset, whole.size()), Math.min(offset + limit, whole.size())));
                    }
                }
            }
        }
    }

    private static TrialStore.TrialQuery query(java.util.Set<TrialState> states, TrialStore.TrialOrder order,
                                               boolean descending, int offset, int limit) {
        return new TrialStore.TrialQuery(states, order, descending, offset, limit);
    }
}
