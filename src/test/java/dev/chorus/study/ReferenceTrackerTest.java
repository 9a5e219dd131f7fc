package dev.chorus.study;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.spec.StudySpec;
import dev.chorus.trial.References;
import dev.chorus.trial.TrialStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ReferenceTracker} chooses what {@link Configurations#references} chooses from every trial, however
 * small its chunks, as trials are added, finish, and race again, and reads only what changed once it has
 * read a study.
 */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class ReferenceTrackerTest {

    private static final String ALL_ALONE = "'{\"groups\":[0,1,2],\"weights\":[1.0,1.0,1.0],\"weighting\":\"fixed\","
            + "\"settings\":{\"trunkWidth\":8,\"trunkDepth\":1,\"learningRate\":0.003,\"epochs\":3,\"batchSize\":64},"
            + "\"architecture\":\"hard\",\"headDepth\":0,\"experts\":0}'";

    @Inject
    StudyService studies;
    @Inject
    Configurations configurations;
    @Inject
    TrialStore trials;
    @Inject
    AgroalDataSource db;

    @ParameterizedTest(name = "repeats: {0}")
    @ValueSource(ints = {1, 3})
    void followsTheTrialsAsTheyAreAddedFinishAndRaceAgain(int repeats) throws Exception {
        long id = studies.create(TestStudies.tinyYaml().replace("repeats: 1", "repeats: " + repeats), Path.of(".")).id();
        StudySpec spec = studies.spec(id);
        // 24 first runs 0-23: every task alone, only c1 alone, or none; every fourth raced on 2 repeats (24-35),
        // the second repeat of trial 12 still waiting
        insert(id, """
                SELECT ?, k, 0, k / 6, NULL::bigint, (ARRAY['{"groups":[0,1,2]', '{"groups":[0,0,1]', '{"groups":[0,0,0]'])[1 + k % 3]
                    || ',"weights":[1.0,1.0,1.0],"weighting":"equal","settings":{"trunkWidth":8,"trunkDepth":1,'
                    || '"learningRate":0.003,"epochs":3,"batchSize":64},"architecture":"hard","headDepth":0,"experts":0}',
                    'complete' FROM generate_series(0, 23) k""");
        insert(id, """
                SELECT ?, 24 + f.number / 2 + r - 1, r, f.generation, f.id, f.candidate::text,
                    CASE WHEN f.number = 12 AND r = 2 THEN 'waiting' ELSE 'complete' END
                FROM trial f CROSS JOIN generate_series(1, 2) r WHERE f.study_id = ? AND f.number % 4 = 0""", id);
        results(id);
        for (int chunk : new int[] {1, 2, 5, 1000}) {
            assertThat(new ReferenceTracker(trials, chunk).of(id, spec).describe()).as("chunks of " + chunk)
                    .isEqualTo(whole(id, spec));
        }
        List<Integer> after = new ArrayList<>();
        ReferenceTracker tracker = new ReferenceTracker(counting(after), 3);
        List<References.Reference> before = tracker.of(id, spec).describe();
        assertThat(before).isEqualTo(whole(id, spec));
        assertThat(after).as("the first read starts from the beginning").startsWith(-1);

        // a new configuration, every task alone, better than any on 3 runs; another still waiting with its repeats
        after.clear();
        insert(id, "SELECT ?, 36, 0, 9, NULL::bigint, " + ALL_ALONE + ", 'complete'");
        insert(id, "SELECT ?, 36 + r, r, 9, id, candidate::text, 'complete' FROM trial, generate_series(1, 2) r "
                + "WHERE study_id = ? AND number = 36", id);
        insert(id, "SELECT ?, 39, 0, 9, NULL::bigint, " + ALL_ALONE.replace("fixed", "equal") + ", 'waiting'");
        insert(id, "SELECT ?, 39 + r, r, 9, id, candidate::text, 'waiting' FROM trial, generate_series(1, 2) r "
                + "WHERE study_id = ? AND number = 39", id);
        results(id);
        assertThat(numbers(same(tracker, id, spec))).containsExactly(36, 36, 36);
        assertThat(after).as("later reads start after the last trial read, 3 at a time").containsExactly(35, 38, 41);

        // the waiting one finishes better still: its trials are read again as open ones
        after.clear();
        for (int number = 39; number <= 41; number++) {
            finish(id, number);
        }
        assertThat(numbers(same(tracker, id, spec))).containsExactly(39, 39, 39);
        assertThat(after).containsExactly(41);

        // the reference races again: no option while its repeat waits, so the choice is made again from all
        long raced = tracker.of(id, spec).of("a1").orElseThrow().first().id();
        insert(id, "SELECT ?, 42, 3, 9, id, candidate::text, 'waiting' FROM trial WHERE id = ?", raced);
        assertThat(numbers(same(tracker, id, spec))).containsExactly(36, 36, 36);

        // its repeat ends lower; on 4 runs it still leads (more runs first), with a lower mean
        finish(id, 42);
        assertThat(numbers(same(tracker, id, spec))).containsExactly(39, 39, 39);
    }

    private static List<Integer> numbers(List<References.Reference> references) {
        return references.stream().map(References.Reference::trialNumber).toList();
    }

    @org.junit.jupiter.api.Test
    void aFirstRefreshReadsInTheBackgroundAndLaterOnesCatchUpAtOnce() throws Exception {
        long id = oneTrialStudy();
        StudySpec spec = studies.spec(id);
        Queued q = queued();
        ReferenceTracker tracker = q.tracker();
        tracker.refresh(id, spec);
        assertThat(q.after()).as("nothing read on the caller's thread").isEmpty();
        tracker.warm(id, spec);
        assertThat(q.runs()).as("one background read at a time").hasSize(1);
        q.runs().getFirst().run();
        assertThat(q.after()).containsExactly(-1);
        q.after().clear();
        insert(id, "SELECT ?, 1, 0, 0, NULL::bigint, " + ALL_ALONE.replace("fixed", "equal") + ", 'complete'");
        results(id);
        tracker.refresh(id, spec);
        assertThat(q.after()).as("held: brought up to date on the caller's thread").containsExactly(0);
        tracker.warm(id, spec);
        assertThat(q.runs()).as("held: nothing more to warm").hasSize(1);
        assertThat(tracker.of(id, spec).describe()).isEqualTo(whole(id, spec));
    }

    @org.junit.jupiter.api.Test
    void aReadWaitsForTheFirstReadUnderWayRatherThanReadTheStudyTwice() throws Exception {
        long id = oneTrialStudy();
        StudySpec spec = studies.spec(id);
        Queued q = queued();
        ReferenceTracker tracker = q.tracker();
        tracker.warm(id, spec);
        List<List<References.Reference>> read = new ArrayList<>();
        Thread reader = Thread.ofPlatform().start(() -> read.add(tracker.of(id, spec).describe()));
        while (reader.getState() != Thread.State.WAITING && reader.isAlive()) {
            Thread.onSpinWait(); // until it parks on the first read, or (wrongly) finished a read of its own
        }
        assertThat(q.after()).as("the reader read nothing itself").isEmpty();
        q.runs().getFirst().run();
        reader.join(10_000);
        assertThat(q.after()).as("the study read from the start once").containsOnlyOnce(-1);
        assertThat(read).containsExactly(whole(id, spec));
    }

    /**
     * A tracker whose background reads wait in {@code runs} until the test runs them, over the store noting
     * where each {@link TrialStore#listAfter} starts in {@code after}.
     */
    private record Queued(ReferenceTracker tracker, List<Integer> after, List<Runnable> runs) {
    }

    private Queued queued() {
        List<Integer> after = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Runnable> runs = new ArrayList<>();
        return new Queued(new ReferenceTracker(counting(after), 3, runs::add), after, runs);
    }

    /** A new study with one complete first run, every task alone. */
    private long oneTrialStudy() throws Exception {
        long id = studies.create(TestStudies.tinyYaml(), Path.of(".")).id();
        insert(id, "SELECT ?, 0, 0, 0, NULL::bigint, " + ALL_ALONE + ", 'complete'");
        results(id);
        return id;
    }

    /** Reads the tracker and asserts it chose what a choice over every trial chooses. */
    private List<References.Reference> same(ReferenceTracker tracker, long id, StudySpec spec) {
        List<References.Reference> tracked = tracker.of(id, spec).describe();
        assertThat(tracked).isEqualTo(whole(id, spec));
        return tracked;
    }

    private List<References.Reference> whole(long id, StudySpec spec) {
        return configurations.references(id, spec).describe();
    }

    /** The store, noting where each {@link TrialStore#listAfter} starts. */
    private TrialStore counting(List<Integer> after) {
        return (TrialStore) Proxy.newProxyInstance(TrialStore.class.getClassLoader(), new Class<?>[] {TrialStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("listAfter")) {
                        after.add((Integer) args[1]);
                    }
                    try {
                        return method.invoke(trials, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void finish(long id, int number) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE trial SET state = 'complete', delta_m = 0, test_delta_m = 0, finished_at = now()
                WHERE study_id = ? AND number = ?""")) {
            ps.setLong(1, id);
            ps.setInt(2, number);
            ps.executeUpdate();
        }
        results(id);
    }

    private void insert(long id, String select, Object... more) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO trial (study_id, number, replicate, generation, repeat_of, candidate, models, state, attempts, delta_m,
                                   test_delta_m, created_at, started_at, finished_at)
                SELECT s.study_id, s.number, s.replicate, s.generation, s.repeat_of, s.candidate::jsonb, 1, s.state, 1,
                    CASE WHEN s.state = 'complete' THEN 0 END, CASE WHEN s.state = 'complete' THEN 0 END, now(), now(),
                    CASE WHEN s.state = 'complete' THEN now() END
                FROM (""" + select + ") AS s(study_id, number, replicate, generation, repeat_of, candidate, state)")) {
            ps.setLong(1, id);
            for (int i = 0; i < more.length; i++) {
                ps.setObject(2 + i, more[i]);
            }
            ps.executeUpdate();
        }
    }

    /**
     * Results for the complete trials that have none: a task's delta varies with the trial; trials 36-38 (a
     * configuration's three runs) have 50, trials 39-41 60, and trial 42 -40 (a repeat that lowers its mean).
     */
    private void results(long id) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO trial_result (trial_id, task, value, baseline, delta, test_value, test_baseline, test_delta)
                SELECT t.id, x.task, 0.5, 0.5, d.delta, 0.5, 0.5, d.delta FROM trial t
                CROSS JOIN (VALUES ('a1', 1), ('a2', 2), ('c1', 3)) AS x(task, i)
                CROSS JOIN LATERAL (SELECT CASE WHEN t.number BETWEEN 36 AND 38 THEN 50 WHEN t.number BETWEEN 39 AND 41 THEN 60 WHEN t.number = 42 THEN -40
                    ELSE 5 * sin(t.number * 7 + x.i) END) AS d(delta)
                WHERE t.study_id = ? AND t.state = 'complete'
                    AND NOT EXISTS (SELECT 1 FROM trial_result r WHERE r.trial_id = t.id)""")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }
}
