package dev.chorus.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestClock;
import dev.chorus.TestStudies;
import dev.chorus.coordinator.Coordinator;
import dev.chorus.dispatch.TrialProtocol;
import dev.chorus.search.Pareto;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.Configurations;
import dev.chorus.study.Objectives;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import dev.chorus.trial.FrontStore;
import dev.chorus.trial.Runs;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the hot path keeps incrementally (the trial counts by state, the highest generation, the Pareto
 * front, the completions owed to it) agrees with a full recomputation from the trials table, after a
 * mixed workload of completions (several at once), prunes, failures, give-backs and expired leases whose
 * trials are claimed again; and completions a crash left owed to the front are taken in at start.
 */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class IncrementalStateTest {

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
    TrialRecorder recorder;
    @Inject
    FrontKeeper keeper;
    @Inject
    TrialStore trials;
    @Inject
    FrontStore fronts;
    @Inject
    HypervolumeWriter writer;
    @Inject
    TestClock clock;
    @Inject
    AgroalDataSource db;
    @Inject
    TrialEndedLog announced;

    private final List<Long> started = new ArrayList<>();

    @BeforeEach
    void onlyThisTestsStudies() {
        TestStudies.pauseEveryRunningStudy(store);
    }

    @AfterEach
    void cancel() {
        clock.reset();
        started.forEach(id -> store.transition(id, StudyState.RUNNING, StudyState.CANCELLED, null, Instant.now()));
    }

    @Test
    void countsAndFrontAgreeWithARecomputationAfterAMixedWorkload() throws Exception {
        long id = start(60);
        Random random = new Random(18);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < 12 && trials.counts(id).total() - trials.counts(id).open() < 50; round++) {
                coordinator.tick();
                List<TrialProtocol.Assignment> claimed = new ArrayList<>();
                for (TrialProtocol.Assignment a; (a = protocol.claim("mixed", Duration.ZERO, id).orElse(null)) != null; ) {
                    claimed.add(a);
                }
                List<Future<?>> completions = new ArrayList<>();
                for (TrialProtocol.Assignment a : claimed) {
                    switch (random.nextInt(10)) {
                        case 0 -> protocol.prune(a.trialId(), a.claim());
                        case 1 -> protocol.fail(a.trialId(), a.claim(), "made-up failure");
                        case 2 -> protocol.release(a.trialId(), a.claim(), "given back"); // claimed again later
                        case 3 -> { } // its lease runs out below; claimed again later
                        default -> completions.add(pool.submit(() ->
                                protocol.complete(a.trialId(), a.claim(), TestStudies.completion(a, seedOf(a)))));
                    }
                }
                for (Future<?> f : completions) {
                    f.get(); // several completions of the study at once: the front takes them in batches
                }
                assertAgreement(id);
                clock.advance(Duration.ofHours(1)); // every lease left running runs out
                protocol.expireLeases();
                clock.reset();
            }
        }
        assertThat(trials.counts(id).of(TrialState.COMPLETE)).as("enough completions to matter").isGreaterThan(20);
        assertThat(trials.counts(id).of(TrialState.PRUNED) + trials.counts(id).of(TrialState.FAILED)).isPositive();
        assertThat(trials.listFinished(id).stream().anyMatch(t -> t.state() == TrialState.COMPLETE && t.attempts() > 1))
                .as("a trial completed on its second claim").isTrue();
        assertAgreement(id);
        assertThat(trials.compactCounts()).as("rows written by the fold").isPositive();
        assertAgreement(id);
        assertThat(writer.awaitIdle(LIMIT)).isTrue();
        assertThat(fronts.lastHypervolume(id).orElseThrow().trials()).as("the last point counts every completion")
                .isEqualTo(trials.counts(id).of(TrialState.COMPLETE));
    }

    @Test
    void withRepeatsTheFrontAndTheReferencesAgreeWithARecomputation() throws Exception {
        long id = start(60, 3);
        StudySpec spec = studies.spec(id);
        Random random = new Random(14);
        int rounds = 0;
        while (rounds++ < 30 && trials.counts(id).total() - trials.counts(id).open() < 55) {
            coordinator.tick();
            for (TrialProtocol.Assignment a; (a = protocol.claim("racing", Duration.ZERO, id).orElse(null)) != null; ) {
                switch (random.nextInt(16)) {
                    case 0 -> protocol.prune(a.trialId(), a.claim());
                    case 1 -> protocol.fail(a.trialId(), a.claim(), "made-up failure");
                    case 2 -> protocol.release(a.trialId(), a.claim(), "given back");
                    case 3 -> { } // its lease runs out below
                    default -> protocol.complete(a.trialId(), a.claim(), TestStudies.completion(a, random.nextInt(1000)));
                }
                assertThat(keeper.references(id, spec).describe()).as("the references the completion path knows")
                        .isEqualTo(Configurations.references(trials, id, spec, Configurations.CHUNK).describe());
                assertThat(front(id).stream().sorted().toList()).as("the front")
                        .isEqualTo(settledFront(id, spec));
            }
            clock.advance(Duration.ofHours(1));
            protocol.expireLeases();
            clock.reset();
        }
        assertThat(trials.listFinished(id).stream().filter(t -> t.isRepeat() && t.state() == TrialState.COMPLETE).count())
                .as("configurations raced on repeats").isGreaterThan(5);
        store.transition(id, StudyState.RUNNING, StudyState.PAUSED, null, Instant.now()); // no more races
        List<Long> kept = front(id).stream().sorted().toList();
        assertThat(kept).isNotEmpty();
        QuarkusTransaction.requiringNew().run(() -> keeper.settle(id));
        assertThat(front(id).stream().sorted().toList()).as("the front recomputed from every settled "
                + "configuration").isEqualTo(kept).isEqualTo(settledFront(id, spec));
    }

    /**
     * The front by its definition, computed here from the whole study and pairwise: the non-dominated
     * configurations (the acceptable ones, all while none is) among the settled ones (complete first runs
     * whose repeats all finished), by their means over complete runs.
     */
    private List<Long> settledFront(long id, StudySpec spec) {
        List<Trial> finished = trials.listFinished(id);
        List<Trial> settled = new ArrayList<>();
        for (Trial first : finished) {
            if (first.isRepeat() || first.state() != TrialState.COMPLETE || first.results().isEmpty()) {
                continue;
            }
            List<Trial> own = trials.repeats(List.of(first.id()));
            if (own.stream().allMatch(t -> t.state().isFinished())) {
                settled.add(Runs.of(first, own).mean());
            }
        }
        List<Trial> acceptable = settled.stream().filter(t -> Objectives.feasible(spec, t)).toList();
        List<Trial> pool = acceptable.isEmpty() ? settled : acceptable;
        return Pareto.nonDominated(pool.stream().map(t -> Objectives.of(spec, t)).toList()).stream()
                .map(i -> pool.get(i).id()).sorted().toList();
    }

    @Test
    void completionsACrashLeftOwedAreTakenIntoTheFrontAtStart() throws Exception {
        long id = start(12);
        coordinator.tick();
        int i = 0;
        for (TrialProtocol.Assignment a; (a = protocol.claim("owed", Duration.ZERO, id).orElse(null)) != null; i++) {
            protocol.complete(a.trialId(), a.claim(), TestStudies.completion(a, i));
        }
        List<Long> front = front(id);
        assertThat(front).isNotEmpty();
        try (Connection c = db.getConnection(); PreparedStatement forget = c.prepareStatement(
                "UPDATE trial SET front_owed = true WHERE study_id = ? AND state = 'complete'");
             PreparedStatement empty = c.prepareStatement("DELETE FROM pareto_member WHERE study_id = ?")) {
            forget.setLong(1, id); // as if the process died after the completions' commits, before the front's
            forget.executeUpdate();
            empty.setLong(1, id);
            empty.executeUpdate();
        }
        assertThat(fronts.studiesOwed()).contains(id);
        recorder.takeOwedAtStart(null);
        assertThat(front(id)).isEqualTo(front);
        assertAgreement(id);
    }

    /**
     * A trial owed to the front that cannot join it (here: marked complete without results, as a hand-edited
     * or half-restored database may hold) is left out; the study's other completions still join.
     */
    @Test
    void anOwedTrialThatCannotJoinTheFrontHoldsNoOtherOut() throws Exception {
        long id = start(12);
        coordinator.tick();
        try (Connection c = db.getConnection(); PreparedStatement owe = c.prepareStatement("""
                UPDATE trial SET front_owed = true, state = 'complete', finished_at = now()
                WHERE id = (SELECT max(id) FROM trial WHERE study_id = ? AND state = 'waiting')""")) {
            owe.setLong(1, id);
            assertThat(owe.executeUpdate()).isEqualTo(1);
        }
        int i = 0;
        for (TrialProtocol.Assignment a; (a = protocol.claim("owed", Duration.ZERO, id).orElse(null)) != null; i++) {
            protocol.complete(a.trialId(), a.claim(), TestStudies.completion(a, i));
        }
        assertThat(i).isEqualTo(7);
        assertAgreement(id);
    }

    /**
     * A repeat failed by its lease running out on its last attempt settles its configuration, as a failure its
     * worker reports does: here the configuration, short of runs, races again for the one it lost, and joins
     * the front once that one completes.
     */
    @Test
    void aRepeatFailedWhenItsLeaseRanOutSettlesItsConfiguration() throws Exception {
        String yaml = TestStudies.tinyYaml().replace("sampler: nsga2", "sampler: random")
                .replace("  population: 4\n", "  population: 4\n  schedule: steady-state\n  concurrency: 1\n")
                .replace("repeats: 1 ", "repeats: 3 ");
        long id = studies.start(studies.create(yaml, Path.of(".")).id()).id();
        started.add(id);
        coordinator.tick();
        TrialProtocol.Assignment first = protocol.claim("lease", Duration.ZERO, id).orElseThrow();
        protocol.complete(first.trialId(), first.claim(), TestStudies.completion(first, 1));
        front(id); // the front's update, which adds the repeats, runs after the completion
        TrialProtocol.Assignment repeat = protocol.claim("lease", Duration.ZERO, id).orElseThrow();
        assertThat(trials.find(repeat.trialId()).orElseThrow().repeatOf()).as("it races to enter the empty front")
                .isEqualTo(first.trialId());
        protocol.complete(repeat.trialId(), repeat.claim(), TestStudies.completion(repeat, 2));
        front(id);
        long lost = -1;
        for (int attempt = 1; attempt <= 3; attempt++) { // the default chorus.worker.max-attempts
            TrialProtocol.Assignment a = protocol.claim("lease", Duration.ZERO, id).orElseThrow();
            lost = a.trialId();
            clock.advance(Duration.ofHours(1));
            protocol.expireLeases();
            clock.reset();
        }
        assertThat(trials.find(lost).orElseThrow().state()).isEqualTo(TrialState.FAILED);
        TrialProtocol.Assignment again = protocol.claim("lease", Duration.ZERO, id)
                .orElseThrow(() -> new AssertionError("the configuration was not settled after its repeat failed"));
        assertThat(trials.find(again.trialId()).orElseThrow().repeatOf()).isEqualTo(first.trialId());
        protocol.complete(again.trialId(), again.claim(), TestStudies.completion(again, 3));
        assertThat(front(id)).containsExactly(first.trialId());
    }

    /**
     * A completion answers before its study's front takes it; the coordinator hears of the trial's end only once
     * the front has: no announcement names a trial still owed to the front, and every completion is announced.
     */
    @Test
    void aCompletionIsAnnouncedOnlyOnceItsFrontTookIt() throws Exception {
        long id = start(24, 3);
        announced.watch(id);
        List<Long> completed = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < 4; round++) {
                coordinator.tick();
                List<Future<?>> completions = new ArrayList<>();
                int i = 0;
                for (TrialProtocol.Assignment a; (a = protocol.claim("told", Duration.ZERO, id).orElse(null)) != null; i++) {
                    TrialProtocol.Assignment claimed = a;
                    int seed = round * 100 + i;
                    completed.add(a.trialId());
                    completions.add(pool.submit(() -> protocol.complete(claimed.trialId(), claimed.claim(),
                            TestStudies.completion(claimed, seed))));
                }
                for (Future<?> f : completions) {
                    f.get();
                }
            }
        }
        assertThat(recorder.awaitFronts(LIMIT)).isTrue();
        assertThat(completed).as("completions to speak of").hasSizeGreaterThan(8);
        assertThat(announced.heard()).as("no trial announced while its front still owed it")
                .noneMatch(TrialEndedLog.Heard::owed);
        assertThat(announced.heard().stream().map(TrialEndedLog.Heard::trialId).toList())
                .as("every completion announced once").containsExactlyInAnyOrderElementsOf(completed);
        assertThat(fronts.owed(id)).as("nothing left owed").isEmpty();
    }

    private long start(int maxTrials) {
        return start(maxTrials, 1);
    }

    private long start(int maxTrials, int repeats) {
        String yaml = TestStudies.tinyYaml().replace("sampler: nsga2", "sampler: random")
                .replace("  population: 4\n", "  population: 4\n  schedule: steady-state\n  concurrency: 8\n")
                .replace("max-trials: 8", "max-trials: " + maxTrials).replace("repeats: 1 ", "repeats: " + repeats + " ");
        long id = studies.start(studies.create(yaml, Path.of(".")).id()).id();
        started.add(id);
        return id;
    }

    /** The study's front once it has taken every completion so far (its writer runs after them). */
    private List<Long> front(long id) throws InterruptedException {
        assertThat(recorder.awaitFronts(LIMIT)).as("the front writers finished").isTrue();
        return ids(fronts.front(id));
    }

    /** Counts, highest generation, front and owed completions against what the trials table says. */
    private void assertAgreement(long id) throws Exception {
        assertThat(recorder.awaitFronts(LIMIT)).as("the front writers finished").isTrue();
        Map<TrialState, Integer> byState = new EnumMap<>(TrialState.class);
        int maxGeneration = -1;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT state, COUNT(*), MAX(generation) FROM trial WHERE study_id = ? AND variant_of IS NULL
                GROUP BY state""")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byState.put(TrialState.fromId(rs.getString(1)), rs.getInt(2));
                    maxGeneration = Math.max(maxGeneration, rs.getInt(3));
                }
            }
        }
        TrialStore.Counts counts = trials.counts(id);
        assertThat(counts.byState()).as("counts by state").isEqualTo(byState);
        assertThat(counts.maxGeneration()).as("highest generation").isEqualTo(maxGeneration);

        StudySpec spec = studies.spec(id);
        List<Trial> complete = trials.listFinished(id).stream()
                .filter(t -> t.state() == TrialState.COMPLETE && !t.results().isEmpty()).toList();
        List<Trial> acceptable = complete.stream().filter(t -> Objectives.feasible(spec, t)).toList();
        List<Trial> pool = acceptable.isEmpty() ? complete : acceptable;
        List<Long> expected = Pareto.nonDominated(pool.stream().map(t -> Objectives.of(spec, t)).toList()).stream()
                .map(i -> pool.get(i).id()).sorted().toList();
        assertThat(front(id).stream().sorted().toList()).as("the front").isEqualTo(expected);
        assertThat(fronts.owed(id)).as("completions owed to the front").isEmpty();
    }

    private static List<Long> ids(List<Trial> list) {
        return list.stream().map(Trial::id).toList();
    }

    private static int seedOf(TrialProtocol.Assignment a) {
        return (int) (a.trialId() * 7919 % 101);
    }
}
