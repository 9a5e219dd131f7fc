package dev.chorus.store;

import dev.chorus.error.StoreException;
import dev.chorus.mtl.Task;
import dev.chorus.study.Study;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@link StudyStore} on PostgreSQL. */
@ApplicationScoped
class JdbcStudyStore implements StudyStore {

    private final AgroalDataSource db;

    JdbcStudyStore(AgroalDataSource db) {
        this.db = db;
    }

    @Override
    public Study create(NewStudy s, Instant now) {
        try (Connection c = db.getConnection()) {
            long id;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO study (name, spec_yaml, base_dir, state, seed, sampler, max_trials, max_wall_clock_s, created_at)
                    VALUES (?, ?, ?, 'created', ?, ?, ?, ?, ?) RETURNING id""")) {
                ps.setString(1, s.name());
                ps.setString(2, s.specYaml());
                ps.setString(3, s.baseDir());
                ps.setLong(4, s.seed());
                ps.setString(5, s.sampler());
                ps.setInt(6, s.maxTrials());
                ps.setLong(7, s.maxWallClockSeconds());
                ps.setTimestamp(8, RowMapping.timestamp(now));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO study_task (study_id, position, name, type, metric, direction) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < s.tasks().size(); i++) {
                    Task t = s.tasks().get(i);
                    ps.setLong(1, id);
                    ps.setInt(2, i);
                    ps.setString(3, t.name());
                    ps.setString(4, t.type().id());
                    ps.setString(5, t.metric().id());
                    ps.setString(6, t.direction().name().toLowerCase(Locale.ROOT));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return find(c, "WHERE id = ?", id).getFirst();
        } catch (SQLException e) {
            throw new StoreException("could not store study " + s.name(), e);
        }
    }

    @Override
    public Optional<Study> find(long id) {
        try (Connection c = db.getConnection()) {
            return find(c, "WHERE id = ?", id).stream().findFirst();
        } catch (SQLException e) {
            throw new StoreException("could not read study " + id, e);
        }
    }

    @Override
    public List<Study> list() {
        try (Connection c = db.getConnection()) {
            return find(c, "ORDER BY id DESC");
        } catch (SQLException e) {
            throw new StoreException("could not list studies", e);
        }
    }

    @Override
    public List<Study> listByState(StudyState state) {
        try (Connection c = db.getConnection()) {
            return find(c, "WHERE state = ? ORDER BY id", state.id());
        } catch (SQLException e) {
            throw new StoreException("could not list " + state.id() + " studies", e);
        }
    }

    @Override
    public boolean transition(long id, StudyState from, StudyState to, String error, Instant now) {
        if (!from.canMoveTo(to)) {
            throw new IllegalArgumentException("a study cannot move from " + from.id() + " to " + to.id());
        }
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE study SET state = ?, error = COALESCE(?, error),
                            started_at = CASE WHEN ? = 'running' THEN COALESCE(started_at, ?) ELSE started_at END,
                            finished_at = CASE WHEN ? THEN ? ELSE finished_at END
                     WHERE id = ? AND state = ?""")) {
            ps.setString(1, to.id());
            ps.setString(2, error);
            ps.setString(3, to.id());
            ps.setTimestamp(4, RowMapping.timestamp(now));
            ps.setBoolean(5, to.isFinished());
            ps.setTimestamp(6, RowMapping.timestamp(now));
            ps.setLong(7, id);
            ps.setString(8, from.id());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("could not move study " + id + " to " + to.id(), e);
        }
    }

    @Override
    public Optional<StoredSplit> split(long studyId) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM study_split WHERE study_id = ?")) {
            ps.setLong(1, studyId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(RowMapping.split(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the split of study " + studyId, e);
        }
    }

    @Override
    public StoredSplit saveSplit(long studyId, StoredSplit split, Instant now) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO study_split (study_id, data_hash, train, validation, test, created_at)
                     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (study_id) DO NOTHING""")) {
            ps.setLong(1, studyId);
            ps.setString(2, split.dataHash());
            ps.setArray(3, c.createArrayOf("integer", RowMapping.boxed(split.split().train())));
            ps.setArray(4, c.createArrayOf("integer", RowMapping.boxed(split.split().validation())));
            ps.setArray(5, c.createArrayOf("integer", RowMapping.boxed(split.split().test())));
            ps.setTimestamp(6, RowMapping.timestamp(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not store the split of study " + studyId, e);
        }
        return split(studyId).orElseThrow();
    }

    private static List<Study> find(Connection c, String where, Object... args) throws SQLException {
        List<Study> out = new ArrayList<>();
        Map<Long, List<Task>> tasks = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM study " + where)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(RowMapping.study(rs, List.of()));
                }
            }
        }
        if (out.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM study_task WHERE study_id = ANY (?) ORDER BY study_id, position")) {
            ps.setArray(1, c.createArrayOf("bigint", out.stream().map(Study::id).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tasks.computeIfAbsent(rs.getLong("study_id"), k -> new ArrayList<>()).add(RowMapping.task(rs));
                }
            }
        }
        return out.stream().map(s -> s.withTasks(tasks.getOrDefault(s.id(), List.of()))).toList();
    }

    @Override
    public Optional<double[][]> affinity(long studyId) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT affinity FROM task_affinity WHERE study_id = ?")) {
            ps.setLong(1, studyId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(RowMapping.matrix(rs.getString("affinity"))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the task affinity of study " + studyId, e);
        }
    }

    @Override
    public double[][] saveAffinity(long studyId, double[][] affinity, Instant now) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO task_affinity (study_id, affinity, created_at) VALUES (?, ?, ?)
                     ON CONFLICT (study_id) DO NOTHING""")) {
            ps.setLong(1, studyId);
            ps.setString(2, RowMapping.json(Arrays.stream(affinity).map(row -> Arrays.stream(row)
                    .map(v -> Double.isFinite(v) ? v : 0).toArray()).toArray(double[][]::new)));
            ps.setTimestamp(3, RowMapping.timestamp(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not store the task affinity of study " + studyId, e);
        }
        return affinity(studyId).orElseThrow();
    }
}
