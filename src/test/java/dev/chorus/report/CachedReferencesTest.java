package dev.chorus.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.Configurations;
import dev.chorus.study.StudyService;
import dev.chorus.trial.References;
import dev.chorus.trial.TrialStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;

/**
 * {@link CachedReferences} chooses what {@link Configurations#references} chooses, however small its
 * chunks, and reads again once the study's trials move.
 */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class CachedReferencesTest {

    @Inject
    StudyService studies;
    @Inject
    Configurations configurations;
    @Inject
    TrialStore trials;
    @Inject
    AgroalDataSource db;

    @Test
    void chunkedChoiceIsTheWholeChoiceAndFollowsNewTrials() throws Exception {
        long id = studies.create(TestStudies.tinyYaml(), Path.of(".")).id();
        StudySpec spec = studies.spec(id);
        // 24 first runs: every task alone, only c1 alone, or none; every fourth raced on 2 repeats, one of
        // those still waiting for its second
        insert(id, """
                SELECT ?, k, 0, k / 6, NULL::bigint, (ARRAY['{"groups":[0,1,2]', '{"groups":[0,0,1]', '{"groups":[0,0,0]'])[1 + k % 3]
                    || ',"weights":[1.0,1.0,1.0],"weighting":"equal","settings":{"trunkWidth":8,"trunkDepth":1,'
                    || '"learningRate":0.003,"epochs":3,"batchSize":64},"architecture":"hard","headDepth":0,"experts":0}',
                    'complete' FROM generate_series(0, 23) k""");
        insert(id, """
                SELECT ?, 100 + f.number * 2 + r, r, f.generation, f.id, f.candidate::text,
                    CASE WHEN f.number = 12 AND r = 2 THEN 'waiting' ELSE 'complete' END
                FROM trial f CROSS JOIN generate_series(1, 2) r WHERE f.study_id = ? AND f.number % 4 = 0
                    AND f.number < 100""", id);
        results(id);
        for (int chunk : new int[] {1, 2, 5, 1000}) {
            assertThat(new CachedReferences(trials, chunk).of(id, spec).describe()).as("chunks of " + chunk)
                    .isEqualTo(configurations.references(id, spec).describe());
        }
        CachedReferences cached = new CachedReferences(trials, 3);
        assertThat(cached.of(id, spec).describe()).isEqualTo(configurations.references(id, spec).describe());
        // a new first run, every task alone, better than any: the counts move, the choice follows where one
        // run may displace (c1's reference rests on 3 runs, which a single run does not displace)
        insert(id, """
                SELECT ?, 50, 0, 9, NULL::bigint, '{"groups":[0,1,2],"weights":[1.0,1.0,1.0],"weighting":"fixed","settings":'
                    || '{"trunkWidth":8,"trunkDepth":1,"learningRate":0.003,"epochs":3,"batchSize":64},'
                    || '"architecture":"hard","headDepth":0,"experts":0}', 'complete'""");
        results(id);
        assertThat(cached.of(id, spec).describe()).isEqualTo(configurations.references(id, spec).describe())
                .extracting(References.Reference::trialNumber).containsExactly(50, 50, 0);
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

    /** Results for the complete trials that have none: a task's delta varies with the trial, trial 50's is 50. */
    private void results(long id) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO trial_result (trial_id, task, value, baseline, delta, test_value, test_baseline, test_delta)
                SELECT t.id, x.task, 0.5, 0.5, d.delta, 0.5, 0.5, d.delta FROM trial t
                CROSS JOIN (VALUES ('a1', 1), ('a2', 2), ('c1', 3)) AS x(task, i)
                CROSS JOIN LATERAL (SELECT CASE WHEN t.number = 50 THEN 50 ELSE 5 * sin(t.number * 7 + x.i) END) AS d(delta)
                WHERE t.study_id = ? AND t.state = 'complete'
                    AND NOT EXISTS (SELECT 1 FROM trial_result r WHERE r.trial_id = t.id)""")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }
}
