package dev.chorus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import javax.sql.DataSource;

/** Finished trials written by SQL, for benchmarks at 100,000 trials. */
public final class BulkTrials {

    private BulkTrials() {
    }

    /**
     * Writes {@code n} finished trials of study {@code id} straight into Chorus's database {@code db} (a test
     * application's own, or a packaged coordinator's), numbered from 0:
     * 90 % complete (3 results each, a hypervolume point each), 5 % pruned, 5 % failed, and the 40 best
     * by Δm as the front. For benchmarks at sizes no training could reach in their time. One transaction,
     * as a completion commits a trial's state with its results: no read sees a complete trial without them.
     */
    public static void fill(DataSource db, long id, int n) throws Exception {
        String[] candidates = {
            "{\"groups\":[0,0,0],\"weights\":[1.0,1.0,1.0],\"weighting\":\"equal\",\"settings\":{\"trunkWidth\":8,"
                    + "\"trunkDepth\":1,\"learningRate\":0.003,\"epochs\":3,\"batchSize\":64},\"architecture\":\"hard\","
                    + "\"headDepth\":0,\"experts\":0}",
            "{\"groups\":[0,0,1],\"weights\":[1.0,1.0,1.0],\"weighting\":\"equal\",\"settings\":{\"trunkWidth\":8,"
                    + "\"trunkDepth\":1,\"learningRate\":0.003,\"epochs\":3,\"batchSize\":64},\"architecture\":\"hard\","
                    + "\"headDepth\":0,\"experts\":0}",
            "{\"groups\":[0,1,2],\"weights\":[1.0,1.0,1.0],\"weighting\":\"equal\",\"settings\":{\"trunkWidth\":8,"
                    + "\"trunkDepth\":1,\"learningRate\":0.003,\"epochs\":3,\"batchSize\":64},\"architecture\":\"hard\","
                    + "\"headDepth\":0,\"experts\":0}"};
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO trial (study_id, number, generation, candidate, models, state, attempts, delta_m, test_delta_m, error,
                                       created_at, started_at, finished_at)
                    SELECT ?, k, k / 50, (ARRAY[?::jsonb, ?::jsonb, ?::jsonb])[1 + k % 3], 1 + k % 3,
                           CASE WHEN k % 20 = 0 THEN 'failed' WHEN k % 20 = 1 THEN 'pruned' ELSE 'complete' END, 1,
                           CASE WHEN k % 20 > 1 THEN sin(k) * 10 END, CASE WHEN k % 20 > 1 THEN sin(k) * 10 END,
                           CASE WHEN k % 20 = 0 THEN 'out of memory' END,
                           now() - make_interval(secs => ? - k), now() - make_interval(secs => ? - k),
                           now() - make_interval(secs => ? - k - 0.5)
                    FROM generate_series(0, ? - 1) k""")) {
                ps.setLong(1, id);
                for (int i = 0; i < 3; i++) {
                    ps.setString(2 + i, candidates[i]);
                }
                for (int i = 5; i <= 7; i++) {
                    ps.setInt(i, n);
                }
                ps.setInt(8, n);
                ps.executeUpdate();
            }
            exec(c, id, """
                    INSERT INTO trial_result (trial_id, task, value, baseline, delta, test_value, test_baseline, test_delta)
                    SELECT t.id, x.task, 0.5 + delta_m / 100, 0.5, delta_m, 0.5 + delta_m / 100, 0.5, delta_m FROM trial t
                    CROSS JOIN (VALUES ('a1'), ('a2'), ('c1')) AS x(task) WHERE t.study_id = ? AND t.state = 'complete'""");
            exec(c, id, """
                    INSERT INTO hypervolume_history (study_id, trials, trial_id, value, created_at)
                    SELECT study_id, row_number() OVER (ORDER BY number), id, 1000 + sqrt(number), finished_at
                    FROM trial WHERE study_id = ? AND state = 'complete'""");
            exec(c, id, """
                    INSERT INTO pareto_member (study_id, trial_id)
                    SELECT study_id, id FROM trial WHERE study_id = ? AND state = 'complete'
                    ORDER BY delta_m DESC LIMIT 40""");
            c.commit();
            c.setAutoCommit(true);
            c.createStatement().execute("ANALYZE trial; ANALYZE trial_result; ANALYZE hypervolume_history");
        }
    }

    /**
     * Gives each front member that {@link #fill} wrote {@code repeats - 1} complete repeats with its own
     * values, as if it had raced: a study with {@code evaluation.repeats} above 1 then holds no front member
     * short of runs, as a real one would not. Numbered after the trials written so far; one transaction.
     */
    public static void raceFront(DataSource db, long id, int repeats) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = prepare(c, """
                INSERT INTO trial (study_id, number, generation, replicate, repeat_of, candidate, models, state, attempts,
                                   delta_m, test_delta_m, created_at, started_at, finished_at)
                SELECT t.study_id, m.total + row_number() OVER (ORDER BY t.id, r) - 1, t.generation, r, t.id, t.candidate,
                       t.models, 'complete', 1, t.delta_m, t.test_delta_m, t.created_at, t.started_at, t.finished_at
                FROM pareto_member p JOIN trial t ON t.id = p.trial_id
                CROSS JOIN generate_series(1, ? - 1) r
                CROSS JOIN (SELECT COUNT(*) AS total FROM trial WHERE study_id = ?) m
                WHERE p.study_id = ?""")) {
            ps.setInt(1, repeats);
            ps.setLong(2, id);
            ps.setLong(3, id);
            ps.executeUpdate();
            exec(c, id, """
                    INSERT INTO trial_result (trial_id, task, value, baseline, delta, test_value, test_baseline, test_delta)
                    SELECT t.id, x.task, 0.5 + t.delta_m / 100, 0.5, t.delta_m, 0.5 + t.delta_m / 100, 0.5, t.delta_m
                    FROM trial t CROSS JOIN (VALUES ('a1'), ('a2'), ('c1')) AS x(task)
                    WHERE t.study_id = ? AND t.repeat_of IS NOT NULL""");
            c.commit();
            c.setAutoCommit(true);
            c.createStatement().execute("ANALYZE trial; ANALYZE trial_result");
        }
    }

    /** A statement on {@code c} once it is taken out of autocommit. */
    private static PreparedStatement prepare(Connection c, String sql) throws Exception {
        c.setAutoCommit(false);
        return c.prepareStatement(sql);
    }

    private static void exec(Connection c, long id, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }
}
