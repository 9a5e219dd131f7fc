package dev.chorus.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.coordinator.Coordinator;
import dev.chorus.dispatch.TrialProtocol;
import dev.chorus.dispatch.TrialProtocol.Completion;
import dev.chorus.search.Hypervolume;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.Objectives;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import dev.chorus.trial.FrontStore;
import dev.chorus.trial.FrontStore.HypervolumePoint;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hypervolume is computed after the completion's commit, one computation per study at a time,
 * coalescing the changes that arrive meanwhile, and recomputed at start for a front marked after its last
 * point; against the real PostgreSQL, with completions through {@link TrialService}.
 */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class HypervolumeWriterTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Inject
    StudyService studies;
    @Inject
    StudyStore store;
    @Inject
    Coordinator coordinator;
    @Inject
    TrialService protocol;
    @Inject
    TrialStore trials;
    @Inject
    FrontStore fronts;
    @Inject
    HypervolumeWriter writer;
    @Inject
    InstantSource clock;
    @Inject
    TransactionSynchronizationRegistry transactions;
    @Inject
    AgroalDataSource db;

    private final List<Long> started = new ArrayList<>();

    @BeforeEach
    void onlyThisTestsStudies() {
        TestStudies.pauseEveryRunningStudy(store);
    }

    @AfterEach
    void cancel() {
        started.forEach(id -> store.transition(id, StudyState.RUNNING, StudyState.CANCELLED, null, Instant.now()));
    }

    /** Starts the tiny study and completes its first generation's trials with made-up results, in turn. */
    private long studyWithCompletions() throws InterruptedException {
        long id = studies.start(studies.create(TestStudies.tinyYaml(), Path.of(".")).id()).id();
        started.add(id);
        coordinator.tick();
        int i = 0;
        for (TrialProtocol.Assignment a; (a = protocol.claim("hv-test", Duration.ZERO).orElse(null)) != null; i++) {
            assertThat(a.studyId()).isEqualTo(id);
            protocol.complete(a.trialId(), a.claim(), completion(a, i));
        }
        assertThat(i).as("the first generation").isPositive();
        assertThat(protocol.awaitFronts(LIMIT)).isTrue(); // the fronts take the completions after they return
        return id;
    }

    /**
     * Results that differ from trial to trial, so that the front holds several of them, with the baselines
     * not stored yet.
     */
    private Completion completion(TrialProtocol.Assignment a, int i) {
        List<TrialProtocol.Result> results = new ArrayList<>();
        List<TrialProtocol.NewBaseline> baselines = new ArrayList<>();
        double[] values = {0.6 + 0.05 * i, 0.9 - 0.1 * i, 0.65 + 0.03 * (i % 2)};
        for (int t = 0; t < a.tasks().size(); t++) {
            TrialProtocol.TaskInfo task = a.tasks().get(t);
            results.add(new TrialProtocol.Result(task.name(), values[t], values[t], task.baselineHash()));
            if (protocol.baseline(task.baselineHash()).isEmpty() && baselines.stream()
                    .noneMatch(b -> b.hash().equals(task.baselineHash()))) {
                baselines.add(new TrialProtocol.NewBaseline(task.baselineHash(), task.name(), 0.7, 0.7, 1, null));
            }
        }
        return new Completion(results, baselines);
    }

    /** The exact hypervolume of the study's stored front. */
    private double exactOfFront(long id) {
        StudySpec spec = studies.spec(id);
        return Hypervolume.of(fronts.front(id).stream().map(t -> Objectives.forHypervolume(spec, t)).toList(),
                Objectives.hypervolumeReference(spec));
    }

    @Test
    void afterTheCompletionsTheLastPointIsTheLastFrontsExactHypervolume() throws Exception {
        long id = studyWithCompletions();
        assertThat(writer.awaitIdle(LIMIT)).isTrue();
        List<HypervolumePoint> history = fronts.hypervolume(id);
        int complete = trials.counts(id).of(TrialState.COMPLETE);
        assertThat(history).isNotEmpty().hasSizeLessThanOrEqualTo(complete);
        HypervolumePoint last = history.getLast();
        assertThat(last.trials()).as("the last completion counted").isEqualTo(complete);
        assertThat(last.trialId()).isEqualTo(fronts.lastChange(id).orElseThrow().trialId());
        assertThat(last.frontVersion()).isEqualTo(fronts.lastChange(id).orElseThrow().version());
        assertThat(last.exact()).as("a front of a few points, 4 objectives").isTrue();
        assertThat(last.error95()).isZero();
        assertThat(last.value()).isPositive().isCloseTo(exactOfFront(id), org.assertj.core.data.Percentage.withPercentage(1e-9));
        assertThat(fronts.staleHypervolumes()).doesNotContain(id);
    }

    @Test
    void changesWhileItComputesLeadToOneMoreComputationOfTheLatestFront() throws Exception {
        long id = studyWithCompletions();
        assertThat(writer.awaitIdle(LIMIT)).isTrue();
        HypervolumePoint before = fronts.lastHypervolume(id).orElseThrow();
        AtomicInteger submitted = new AtomicInteger();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        HypervolumeWriter own = new HypervolumeWriter(fronts, trials, new FrontMembers(fronts, trials), studies, clock, transactions, r -> {
            submitted.incrementAndGet();
            pool.execute(r);
        }, Duration.ZERO);
        try (Connection c = db.getConnection()) {
            // hold the history row the writer will update: its computation waits there, under way
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT 1 FROM hypervolume_history WHERE study_id = ? AND trial_id = ? FOR UPDATE")) {
                s.setLong(1, id);
                s.setLong(2, before.trialId());
                s.executeQuery().close();
            }
            own.changed(id);
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (own.writes() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(own.writes()).as("the first computation started").isEqualTo(1);
            fronts.markFront(id, clock.instant()); // a settle changed the front meanwhile, three times
            fronts.markFront(id, clock.instant());
            fronts.markFront(id, clock.instant());
            own.changed(id);
            own.changed(id);
            own.changed(id);
            c.commit();
        }
        assertThat(own.awaitIdle(LIMIT)).isTrue();
        pool.shutdown();
        assertThat(submitted.get()).as("one drain for the study").isEqualTo(1);
        assertThat(own.writes()).as("the first computation and one for the three changes").isEqualTo(2);
        HypervolumePoint after = fronts.lastHypervolume(id).orElseThrow();
        assertThat(after.frontVersion()).isEqualTo(before.frontVersion() + 3);
        assertThat(after.value()).isEqualTo(before.value());
        assertThat(fronts.staleHypervolumes()).doesNotContain(id);
    }

    @Test
    void aFrontMarkedAfterItsLastPointIsComputedAtStart() throws Exception {
        long id = studyWithCompletions();
        assertThat(writer.awaitIdle(LIMIT)).isTrue();
        long version = fronts.lastChange(id).orElseThrow().version();
        // as if the process died between a completion's commit and its computation
        fronts.markFront(id, clock.instant());
        assertThat(fronts.staleHypervolumes()).contains(id);
        writer.recover();
        assertThat(writer.awaitIdle(LIMIT)).isTrue();
        assertThat(fronts.staleHypervolumes()).doesNotContain(id);
        HypervolumePoint last = fronts.lastHypervolume(id).orElseThrow();
        assertThat(last.frontVersion()).isEqualTo(version + 1);
        assertThat(last.value()).isCloseTo(exactOfFront(id), org.assertj.core.data.Percentage.withPercentage(1e-9));
    }

    @Test
    void aChangeCountsOnlyOnceItsTransactionCommits() throws Exception {
        long id = studyWithCompletions();
        AtomicInteger submitted = new AtomicInteger();
        List<Runnable> queued = new ArrayList<>();
        HypervolumeWriter own = new HypervolumeWriter(fronts, trials, new FrontMembers(fronts, trials), studies, clock, transactions, r -> {
            submitted.incrementAndGet();
            queued.add(r);
        }, Duration.ZERO);
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            own.changed(id);
            throw new IllegalStateException("rolled back");
        })).hasMessageContaining("rolled back");
        assertThat(submitted.get()).as("a rolled-back change").isZero();
        QuarkusTransaction.requiringNew().run(() -> {
            own.changed(id);
            assertThat(submitted.get()).as("not before the commit").isZero();
        });
        assertThat(submitted.get()).isEqualTo(1);
        own.changed(id);
        assertThat(submitted.get()).as("queued already: coalesced").isEqualTo(1);
        queued.getFirst().run();
        assertThat(own.writes()).as("one computation for both").isEqualTo(1);
    }

    /** A study completing dozens of trials a second gets at most one computation per spacing, not one per trial. */
    @Test
    void aChangeWithinTheSpacingOfTheLastComputationWaitsForIt() throws Exception {
        long id = studyWithCompletions();
        List<Runnable> queued = new ArrayList<>();
        HypervolumeWriter own = new HypervolumeWriter(fronts, trials, new FrontMembers(fronts, trials), studies, clock,
                transactions, queued::add, Duration.ofHours(1));
        own.changed(id);
        queued.removeFirst().run();
        assertThat(own.writes()).as("the first computation starts at once").isEqualTo(1);
        own.changed(id);
        own.changed(id);
        queued.removeFirst().run();
        assertThat(own.writes()).as("the next is put off until an hour after the first").isEqualTo(1);
        assertThat(queued).as("nothing runs before then").isEmpty();
    }
}
