package dev.chorus.store;

import dev.chorus.error.StoreException;
import dev.chorus.mtl.Candidate;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link TrialStore} on PostgreSQL. */
@ApplicationScoped
class JdbcTrialStore implements TrialStore {

    private final AgroalDataSource db;

    JdbcTrialStore(AgroalDataSource db) {
        this.db = db;
    }

    @Override
    public List<Trial> insert(long studyId, int generation, List<Candidate> candidates, Instant now) {
        return insertRows(studyId, generation, candidates, null, Integer.MAX_VALUE, now);
    }

    @Override
    public List<Trial> insert(long studyId, int generation, List<Candidate> candidates, int maxTrials, Instant now) {
        return insertRows(studyId, generation, candidates, null, maxTrials, now);
    }

    @Override
    public List<Trial> insertRepeats(Trial first, int count, int maxTrials, Instant now) {
        if (first.isRepeat()) {
            throw new IllegalArgumentException("trial " + first.id() + " is itself a repeat of " + first.repeatOf());
        }
        return insertRows(first.studyId(), first.generation(), Collections.nCopies(count, first.candidate()),
                first.id(), maxTrials, now);
    }

    /**
     * Inserts waiting trials, no more than keep the study at {@code maxTrials}; repeats of {@code repeatOf}
     * (when not null) get replicates after its last one.
     */
    private List<Trial> insertRows(long studyId, int generation, List<Candidate> candidates, Long repeatOf,
                                   int maxTrials, Instant now) {
        try (Connection c = db.getConnection()) {
            // serialise inserts per study so numbers stay dense and unique
            try (PreparedStatement lock = c.prepareStatement("SELECT id FROM study WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, studyId);
                lock.executeQuery().close();
            }
            int next = firstInt(c, "SELECT COALESCE(MAX(number), -1) + 1 FROM trial WHERE study_id = ?", studyId);
            int room = maxTrials - firstInt(c, "SELECT count(*) FROM trial WHERE study_id = ? AND variant_of IS NULL",
                    studyId);
            candidates = candidates.subList(0, Math.max(0, Math.min(room, candidates.size())));
            if (candidates.isEmpty()) {
                return List.of();
            }
            int replicate = repeatOf == null ? 0
                    : firstInt(c, "SELECT COALESCE(MAX(replicate), 0) + 1 FROM trial WHERE repeat_of = ?", repeatOf);
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO trial (study_id, number, generation, candidate, models, state, created_at, replicate,
                        repeat_of)
                    VALUES (?, ?, ?, ?::jsonb, ?, 'waiting', ?, ?, ?) RETURNING id""")) {
                for (Candidate candidate : candidates) {
                    ps.setLong(1, studyId);
                    ps.setInt(2, next++);
                    ps.setInt(3, generation);
                    ps.setString(4, RowMapping.json(candidate));
                    ps.setInt(5, candidate.groupCount());
                    ps.setTimestamp(6, RowMapping.timestamp(now));
                    ps.setInt(7, repeatOf == null ? 0 : replicate++);
                    ps.setObject(8, repeatOf);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        ids.add(rs.getLong(1));
                    }
                }
            }
            return select(c, "WHERE id = ANY (?) ORDER BY number", c.createArrayOf("bigint", ids.toArray()));
        } catch (SQLException e) {
            throw new StoreException("could not add trials to study " + studyId, e);
        }
    }

    @Override
    public List<Trial> insertVariants(Trial recommended, List<Candidate> variants, List<Integer> replicates, Instant now) {
        if (recommended.isRepeat() || recommended.variantOf() != null) {
            throw new IllegalArgumentException("trial " + recommended.id() + " is not a first run of the search");
        }
        if (replicates.isEmpty() || replicates.getFirst() != 0) {
            throw new IllegalArgumentException("a variant's runs start with replicate 0, were " + replicates);
        }
        try (Connection c = db.getConnection()) {
            try (PreparedStatement lock = c.prepareStatement("SELECT id FROM study WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, recommended.studyId());
                lock.executeQuery().close();
            }
            int next = firstInt(c, "SELECT COALESCE(MAX(number), -1) + 1 FROM trial WHERE study_id = ?",
                    recommended.studyId());
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO trial (study_id, number, generation, candidate, models, state, created_at, replicate,
                        repeat_of, variant_of)
                    VALUES (?, ?, ?, ?::jsonb, ?, 'waiting', ?, ?, ?, ?) RETURNING id""")) {
                for (Candidate variant : variants) {
                    Long first = null;
                    for (int replicate : replicates) {
                        ps.setLong(1, recommended.studyId());
                        ps.setInt(2, next++);
                        ps.setInt(3, recommended.generation());
                        ps.setString(4, RowMapping.json(variant));
                        ps.setInt(5, variant.groupCount());
                        ps.setTimestamp(6, RowMapping.timestamp(now));
                        ps.setInt(7, replicate);
                        ps.setObject(8, first);
                        ps.setLong(9, recommended.id());
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            ids.add(rs.getLong(1));
                            first = first == null ? rs.getLong(1) : first;
                        }
                    }
                }
            }
            return select(c, "WHERE id = ANY (?) ORDER BY number", c.createArrayOf("bigint", ids.toArray()));
        } catch (SQLException e) {
            throw new StoreException("could not add the stability variants of trial " + recommended.id(), e);
        }
    }

    @Override
    public List<Trial> variants(long studyId) {
        return query("stability variants of study " + studyId,
                "WHERE study_id = ? AND variant_of IS NOT NULL ORDER BY number", studyId);
    }

    private static int firstInt(Connection c, String sql, long arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    public List<Trial> racing(long studyId) {
        return query("configurations of study " + studyId + " still racing", """
                WHERE id IN (SELECT repeat_of FROM trial WHERE study_id = ? AND repeat_of IS NOT NULL
                             AND variant_of IS NULL AND state IN ('waiting', 'running')) ORDER BY number""", studyId);
    }

    @Override
    public List<Trial> repeats(Collection<Long> firstRuns) {
        if (firstRuns.isEmpty()) {
            return List.of();
        }
        try (Connection c = db.getConnection()) {
            return select(c, "WHERE repeat_of = ANY (?) ORDER BY repeat_of, replicate",
                    c.createArrayOf("bigint", firstRuns.toArray()));
        } catch (SQLException e) {
            throw new StoreException("could not read the repeats of trials " + firstRuns, e);
        }
    }

    @Override
    public Map<Long, List<Map<String, Double>>> intermediateCurves(long studyId) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT i.trial_id, i.step, i.task, i.value FROM trial_intermediate i JOIN trial t ON t.id = i.trial_id
                     WHERE t.study_id = ? AND t.state IN ('complete', 'pruned') AND t.repeat_of IS NULL
                       AND t.variant_of IS NULL
                     ORDER BY i.trial_id, i.step""")) {
            ps.setLong(1, studyId);
            Map<Long, List<Map<String, Double>>> out = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Map<String, Double>> curve = out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>());
                    int step = rs.getInt(2);
                    while (curve.size() <= step) {
                        curve.add(new LinkedHashMap<>());
                    }
                    curve.get(step).put(rs.getString(3), rs.getDouble(4));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not read the intermediate values of study " + studyId, e);
        }
    }

    @Override
    public boolean fail(long trialId, String error, Instant now) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE trial SET state = 'failed', error = ?, finished_at = ?, lease_until = NULL
                     WHERE id = ? AND state IN ('waiting', 'running')""")) {
            ps.setString(1, error);
            ps.setTimestamp(2, RowMapping.timestamp(now));
            ps.setLong(3, trialId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("could not fail trial " + trialId, e);
        }
    }

    @Override
    public int failRunningSince(long studyId, Instant startedBefore, String error, Instant now) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE trial SET state = 'failed', error = ?, finished_at = ?, lease_until = NULL
                     WHERE study_id = ? AND state = 'running' AND started_at < ?""")) {
            ps.setString(1, error);
            ps.setTimestamp(2, RowMapping.timestamp(now));
            ps.setLong(3, studyId);
            ps.setTimestamp(4, RowMapping.timestamp(startedBefore));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not time out the trials of study " + studyId, e);
        }
    }

    @Override
    public int failWaiting(long studyId, String error, Instant now) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE trial SET state = 'failed', error = ?, finished_at = ?, lease_until = NULL
                     WHERE study_id = ? AND state = 'waiting'""")) {
            ps.setString(1, error);
            ps.setTimestamp(2, RowMapping.timestamp(now));
            ps.setLong(3, studyId);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not fail the waiting trials of study " + studyId, e);
        }
    }

    @Override
    public Optional<Integer> numberOf(long studyId, Candidate candidate) {
        // JSONB equality compares values, not text: the same candidate matches however it was written
        return Statements.one(db, "look for a candidate in study " + studyId, rs -> rs.getInt(1),
                "SELECT number FROM trial WHERE study_id = ? AND candidate = ?::jsonb AND repeat_of IS NULL "
                        + "AND variant_of IS NULL "
                        + "ORDER BY number LIMIT 1",
                studyId, RowMapping.json(candidate));
    }

    @Override
    public Optional<Trial> find(long trialId) {
        return query("trial " + trialId, "WHERE id = ?", trialId).stream().findFirst();
    }

    @Override
    public List<Trial> list(long studyId, int offset, int limit) {
        return query("trials of study " + studyId, "WHERE study_id = ? AND variant_of IS NULL ORDER BY number OFFSET ? LIMIT ?",
                studyId, offset, limit);
    }

    @Override
    public List<Trial> page(long studyId, TrialQuery q) {
        String column = switch (q.order()) {
            case NUMBER -> "number";
            case DELTA_M -> "delta_m";
            case MODELS -> "models";
            case FINISHED -> "finished_at";
        };
        String direction = q.descending() ? "DESC" : "ASC";
        String order = q.order() == TrialOrder.NUMBER ? "number " + direction
                : column + " " + direction + " NULLS LAST, number " + (q.descending() ? "DESC" : "ASC");
        String states = q.states().isEmpty() ? "" : " AND state = ANY (?)";
        String where = "WHERE study_id = ? AND variant_of IS NULL" + states + " ORDER BY " + order + " OFFSET ? LIMIT ?";
        try (Connection c = db.getConnection()) {
            return q.states().isEmpty() ? select(c, where, studyId, q.offset(), q.limit())
                    : select(c, where, studyId, c.createArrayOf("text", q.states().stream().map(TrialState::id)
                            .sorted().toArray()), q.offset(), q.limit());
        } catch (SQLException e) {
            throw new StoreException("could not read a page of the trials of study " + studyId, e);
        }
    }

    @Override
    public List<Trial> listFinished(long studyId) {
        return query("finished trials of study " + studyId,
                "WHERE study_id = ? AND variant_of IS NULL AND state IN ('complete', 'pruned', 'failed') ORDER BY number",
                studyId);
    }

    @Override
    public List<Trial> listFinishedSince(long studyId, Instant since) {
        return query("trials of study " + studyId + " finished since " + since,
                "WHERE study_id = ? AND variant_of IS NULL AND state IN ('complete', 'pruned', 'failed') AND finished_at >= ? "
                        + "ORDER BY number",
                studyId, RowMapping.timestamp(since));
    }

    @Override
    public Optional<Trial> best(long studyId) {
        return query("best trial of study " + studyId, """
                WHERE study_id = ? AND state = 'complete' AND delta_m IS NOT NULL AND repeat_of IS NULL AND variant_of IS NULL
                ORDER BY delta_m DESC, number LIMIT 1""", studyId).stream().findFirst();
    }

    @Override
    public Counts counts(long studyId) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT state, COUNT(*), MAX(generation) FROM trial WHERE study_id = ? AND variant_of IS NULL "
                             + "GROUP BY state")) {
            ps.setLong(1, studyId);
            Map<TrialState, Integer> byState = new EnumMap<>(TrialState.class);
            int maxGeneration = -1;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byState.put(TrialState.fromId(rs.getString(1)), rs.getInt(2));
                    maxGeneration = Math.max(maxGeneration, rs.getInt(3));
                }
            }
            return new Counts(byState, maxGeneration);
        } catch (SQLException e) {
            throw new StoreException("could not count the trials of study " + studyId, e);
        }
    }

    @Override
    public Queue queue() {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT COUNT(*) FILTER (WHERE t.state = 'waiting' AND s.state = 'running'),
                            COUNT(*) FILTER (WHERE t.state = 'running')
                     FROM trial t JOIN study s ON s.id = t.study_id WHERE t.state IN ('waiting', 'running')""");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Queue(rs.getInt(1), rs.getInt(2));
        } catch (SQLException e) {
            throw new StoreException("could not count the queue", e);
        }
    }

    @Override
    public Duration workerTime(long studyId, Instant now) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT COALESCE(SUM(EXTRACT(EPOCH FROM (COALESCE(finished_at, ?) - started_at))), 0)
                     FROM trial WHERE study_id = ? AND started_at IS NOT NULL""")) {
            ps.setTimestamp(1, RowMapping.timestamp(now));
            ps.setLong(2, studyId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Duration.ofMillis(Math.round(rs.getDouble(1) * 1000));
            }
        } catch (SQLException e) {
            throw new StoreException("could not sum the worker time of study " + studyId, e);
        }
    }

    @Override
    public List<Map<String, Double>> intermediate(long trialId) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT step, task, value FROM trial_intermediate WHERE trial_id = ? ORDER BY step, task")) {
            ps.setLong(1, trialId);
            List<Map<String, Double>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int step = rs.getInt(1);
                    while (out.size() <= step) {
                        out.add(new LinkedHashMap<>());
                    }
                    out.get(step).put(rs.getString(2), rs.getDouble(3));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not read the intermediate values of trial " + trialId, e);
        }
    }

    @Override
    public void addHypervolume(long studyId, long trialId, int trials, double value, Instant now) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO hypervolume_history (study_id, trials, trial_id, value, created_at)
                     VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            ps.setLong(1, studyId);
            ps.setInt(2, trials);
            ps.setLong(3, trialId);
            ps.setDouble(4, value);
            ps.setTimestamp(5, RowMapping.timestamp(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not store the hypervolume of study " + studyId, e);
        }
    }

    @Override
    public Optional<Double> lastHypervolume(long studyId) {
        return Statements.one(db, "read the hypervolume of study " + studyId, rs -> rs.getDouble(1),
                "SELECT value FROM hypervolume_history WHERE study_id = ? ORDER BY trials DESC, created_at DESC LIMIT 1",
                studyId);
    }

    @Override
    public List<HypervolumePoint> hypervolume(long studyId) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT * FROM hypervolume_history WHERE study_id = ? ORDER BY trials, created_at")) {
            ps.setLong(1, studyId);
            List<HypervolumePoint> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(RowMapping.hypervolume(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not read the hypervolume history of study " + studyId, e);
        }
    }

    @Override
    public void replaceFront(long studyId, List<Long> trialIds) {
        try (Connection c = db.getConnection();
             PreparedStatement delete = c.prepareStatement("DELETE FROM pareto_member WHERE study_id = ?");
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO pareto_member (study_id, trial_id) SELECT ?, UNNEST(?)")) {
            delete.setLong(1, studyId);
            delete.executeUpdate();
            insert.setLong(1, studyId);
            insert.setArray(2, c.createArrayOf("bigint", trialIds.toArray()));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not store the Pareto front of study " + studyId, e);
        }
    }

    @Override
    public void lockFront(long studyId) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM study WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, studyId);
            ps.executeQuery().close();
        } catch (SQLException e) {
            throw new StoreException("could not lock the front of study " + studyId, e);
        }
    }

    @Override
    public List<Trial> front(long studyId) {
        return query("Pareto front of study " + studyId,
                "WHERE id IN (SELECT trial_id FROM pareto_member WHERE study_id = ?) ORDER BY number", studyId);
    }

    private List<Trial> query(String what, String where, Object... args) {
        try (Connection c = db.getConnection()) {
            return select(c, where, args);
        } catch (SQLException e) {
            throw new StoreException("could not read " + what, e);
        }
    }

    /** Trials matching {@code where}, with their results attached. */
    private static List<Trial> select(Connection c, String where, Object... args) throws SQLException {
        List<Trial> trials = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM trial " + where)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    trials.add(RowMapping.trial(rs));
                }
            }
        }
        if (trials.isEmpty()) {
            return trials;
        }
        Map<Long, List<TaskResult>> results = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM trial_result WHERE trial_id = ANY (?) ORDER BY trial_id, task")) {
            ps.setArray(1, c.createArrayOf("bigint", trials.stream().map(Trial::id).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    results.computeIfAbsent(rs.getLong("trial_id"), k -> new ArrayList<>()).add(RowMapping.result(rs));
                }
            }
        }
        return trials.stream().map(t -> t.withResults(results.getOrDefault(t.id(), List.of()))).toList();
    }
}
