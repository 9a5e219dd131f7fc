package dev.chorus.store;

import static dev.chorus.store.TrialStoreContractTest.candidate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.study.Study;
import dev.chorus.study.StudyStore;
import dev.chorus.trial.FrontStore;
import dev.chorus.trial.FrontStore.FrontChange;
import dev.chorus.trial.FrontStore.HypervolumePoint;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The {@link FrontStore} contract, against the real PostgreSQL. */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class FrontStoreContractTest {

    static final Instant T0 = StudyStoreContractTest.T0;

    @Inject
    StudyStore studies;
    @Inject
    TrialStore trials;
    @Inject
    FrontStore fronts;

    /** A study that is never started, so that no claim takes its trials. */
    List<Trial> trialsOf(String name, int count) {
        Study s = studies.create(StudyStoreContractTest.newStudy(name), T0);
        return trials.insert(s.id(), 0, List.of(candidate(0, 1.0), candidate(1, 1.0), candidate(1, 2.0))
                .subList(0, count), T0);
    }

    @Test
    void hypervolumeHistoryKeepsItsOrderAndItsLatestValue() {
        List<Trial> ts = trialsOf("hypervolume", 2);
        long study = ts.getFirst().studyId();
        assertThat(fronts.lastHypervolume(study)).isEmpty();
        assertThat(fronts.hypervolume(study)).isEmpty();
        fronts.addHypervolume(study, new HypervolumePoint(1, ts.get(0).id(), 0.5, 0, true, 1, T0));
        fronts.addHypervolume(study, new HypervolumePoint(2, ts.get(1).id(), 0.75, 0.002, false, 2, T0.plusSeconds(1)));
        assertThat(fronts.hypervolume(study)).extracting(HypervolumePoint::trials, HypervolumePoint::trialId,
                HypervolumePoint::value, HypervolumePoint::error95, HypervolumePoint::exact).containsExactly(
                        tuple(1, ts.get(0).id(), 0.5, 0.0, true),
                        tuple(2, ts.get(1).id(), 0.75, 0.002, false));
        assertThat(fronts.lastHypervolume(study)).map(HypervolumePoint::value).contains(0.75);
    }

    @Test
    void aLongHistoryIsSampledAtTheEndsOfEqualRangesOfTrialsWithItsFirstAndLatestPoint() {
        Study s = studies.create(StudyStoreContractTest.newStudy("hypervolume sample"), T0);
        List<Trial> ts = trials.insert(s.id(), 0, IntStream.range(0, 10).mapToObj(i -> candidate(i % 2, 1.0 + i))
                .toList(), T0);
        for (int i = 0; i < ts.size(); i++) {
            fronts.addHypervolume(s.id(), new HypervolumePoint(i + 1, ts.get(i).id(), i, 0, true, i + 1,
                    T0.plusSeconds(i)));
        }
        assertThat(fronts.hypervolume(s.id(), 10)).extracting(HypervolumePoint::trials)
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        // 3 parts of the trials after the first point's 1: (1, 4], (4, 7], (7, 10], each by its last point
        assertThat(fronts.hypervolume(s.id(), 3)).extracting(HypervolumePoint::trials, HypervolumePoint::value)
                .containsExactly(tuple(1, 0.0), tuple(4, 3.0), tuple(7, 6.0), tuple(10, 9.0));
        assertThatThrownBy(() -> fronts.hypervolume(s.id(), 1)).hasMessageContaining("maxPoints must be 2 or more");
    }

    @Test
    void aPointOfANewerFrontReplacesItsTrialsPointAndNeverTheOtherWayRound() {
        List<Trial> ts = trialsOf("hypervolume versions", 1);
        long study = ts.getFirst().studyId();
        long trial = ts.getFirst().id();
        fronts.addHypervolume(study, new HypervolumePoint(1, trial, 0.5, 0, true, 2, T0));
        fronts.addHypervolume(study, new HypervolumePoint(1, trial, 0.4, 0, true, 1, T0.plusSeconds(1)));
        assertThat(fronts.hypervolume(study)).extracting(HypervolumePoint::value).containsExactly(0.5);
        fronts.addHypervolume(study, new HypervolumePoint(1, trial, 0.6, 0.01, false, 3, T0.plusSeconds(2)));
        assertThat(fronts.hypervolume(study)).extracting(HypervolumePoint::value, HypervolumePoint::frontVersion)
                .containsExactly(tuple(0.6, 3L));
    }

    @Test
    void aStudyIsStaleWhileItsFrontIsMarkedAfterItsLastPoint() {
        List<Trial> ts = trialsOf("front marks", 2);
        long study = ts.getFirst().studyId();
        fronts.markFront(study, T0);
        assertThat(fronts.lastChange(study)).as("nothing to re-mark before a first mark").isEmpty();
        assertThat(fronts.staleHypervolumes()).doesNotContain(study);
        fronts.markFront(study, ts.get(0).id(), 1, T0);
        assertThat(fronts.lastChange(study)).contains(new FrontChange(1, ts.get(0).id(), 1, T0));
        assertThat(fronts.staleHypervolumes()).contains(study);
        fronts.addHypervolume(study, new HypervolumePoint(1, ts.get(0).id(), 0.5, 0, true, 1, T0));
        assertThat(fronts.staleHypervolumes()).doesNotContain(study);
        fronts.markFront(study, ts.get(1).id(), 2, T0.plusSeconds(1));
        fronts.markFront(study, T0.plusSeconds(2));
        assertThat(fronts.lastChange(study)).as("a settle keeps the trial and the count")
                .contains(new FrontChange(3, ts.get(1).id(), 2, T0.plusSeconds(2)));
        assertThat(fronts.staleHypervolumes()).contains(study);
        fronts.addHypervolume(study, new HypervolumePoint(2, ts.get(1).id(), 0.7, 0, true, 3, T0.plusSeconds(3)));
        assertThat(fronts.staleHypervolumes()).doesNotContain(study);
    }

    @Test
    void frontIsReplacedAsAWhole() {
        List<Trial> ts = trialsOf("front", 3);
        long study = ts.getFirst().studyId();
        assertThat(fronts.front(study)).isEmpty();
        fronts.replaceFront(study, List.of(ts.get(0).id(), ts.get(2).id()));
        assertThat(fronts.front(study)).extracting(Trial::number).containsExactly(0, 2);
        fronts.replaceFront(study, List.of(ts.get(1).id()));
        assertThat(fronts.front(study)).extracting(Trial::number).containsExactly(1);
        fronts.replaceFront(study, List.of());
        assertThat(fronts.front(study)).isEmpty();
    }

    @Test
    void theFrontsLockHoldsUntilTheTransactionEnds() throws Exception {
        long study = trialsOf("front lock", 1).getFirst().studyId();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            fronts.lockFront(study);
            locked.countDown();
            await(release);
        }));
        assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> second = CompletableFuture.runAsync(
                () -> QuarkusTransaction.requiringNew().run(() -> fronts.lockFront(study)));
        assertThatThrownBy(() -> second.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
