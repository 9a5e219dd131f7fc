package dev.chorus.store;

import dev.chorus.mtl.Task;
import dev.chorus.study.Study;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@link StudyStore} on PostgreSQL. */
@ApplicationScoped
class JdbcStudyStore implements StudyStore {

    /** Studies with their tasks. */
    private static final ParentsAndChildren<Study, Task> WITH_TASKS = new ParentsAndChildren<>("SELECT * FROM study",
            rs -> RowMapping.study(rs, List.of()), Study::id,
            "SELECT * FROM study_task WHERE study_id = ANY (?) ORDER BY study_id, position", "study_id", RowMapping::task,
            Study::withTasks);

    private final AgroalDataSource db;

    JdbcStudyStore(AgroalDataSource db) {
        this.db = db;
    }

    @Override
    public Study create(NewStudy s, Instant now) {
        return Statements.onConnection(db, "store study " + s.name(), c -> {
            long id = c.one(rs -> rs.getLong(1), """
                    INSERT INTO study (name, spec_yaml, base_dir, state, seed, sampler, max_trials, max_wall_clock_s, created_at)
                    VALUES (?, ?, ?, 'created', ?, ?, ?, ?, ?) RETURNING id""", s.name(), s.specYaml(), s.baseDir(),
                    s.seed(), s.sampler(), s.maxTrials(), s.maxWallClockSeconds(), RowMapping.timestamp(now)).orElseThrow();
            List<Object[]> tasks = new ArrayList<>();
            for (int i = 0; i < s.tasks().size(); i++) {
                Task t = s.tasks().get(i);
                tasks.add(new Object[] {id, i, t.name(), t.type().id(), t.metric().id(),
                    t.direction().name().toLowerCase(Locale.ROOT)});
            }
            c.batch("INSERT INTO study_task (study_id, position, name, type, metric, direction) VALUES (?, ?, ?, ?, ?, ?)",
                    tasks);
            return WITH_TASKS.load(c, "WHERE id = ?", id).getFirst();
        });
    }

    @Override
    public Optional<Study> find(long id) {
        return query("read study " + id, "WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public List<Study> list() {
        return query("list studies", "ORDER BY id DESC");
    }

    @Override
    public List<Study> list(long belowId, int limit) {
        return query("list studies below id " + belowId, "WHERE id < ? ORDER BY id DESC LIMIT ?", belowId, limit);
    }

    @Override
    public int count() {
        return Statements.one(db, "count the studies", rs -> rs.getInt(1), "SELECT count(*) FROM study").orElseThrow();
    }

    @Override
    public List<Study> listByState(StudyState state) {
        return query("list " + state.id() + " studies", "WHERE state = ? ORDER BY id", state.id());
    }

    @Override
    public boolean transition(long id, StudyState from, StudyState to, String error, Instant now) {
        if (!from.canMoveTo(to)) {
            throw new IllegalArgumentException("a study cannot move from " + from.id() + " to " + to.id());
        }
        return Statements.update(db, "move study " + id + " to " + to.id(), """
                UPDATE study SET state = ?, error = COALESCE(?, error),
                       started_at = CASE WHEN ? = 'running' THEN COALESCE(started_at, ?) ELSE started_at END,
                       finished_at = CASE WHEN ? THEN ? ELSE finished_at END
                WHERE id = ? AND state = ?""", to.id(), error, to.id(), RowMapping.timestamp(now), to.isFinished(),
                RowMapping.timestamp(now), id, from.id()) == 1;
    }

    @Override
    public Optional<StoredSplit> split(long studyId) {
        return Statements.one(db, "read the split of study " + studyId, RowMapping::split,
                "SELECT * FROM study_split WHERE study_id = ?", studyId);
    }

    @Override
    public StoredSplit saveSplit(long studyId, StoredSplit split, Instant now) {
        Statements.update(db, "store the split of study " + studyId, """
                INSERT INTO study_split (study_id, data_hash, train, validation, test, created_at)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (study_id) DO NOTHING""", studyId, split.dataHash(),
                Statements.array("integer", RowMapping.boxed(split.split().train())),
                Statements.array("integer", RowMapping.boxed(split.split().validation())),
                Statements.array("integer", RowMapping.boxed(split.split().test())), RowMapping.timestamp(now));
        return split(studyId).orElseThrow();
    }

    private List<Study> query(String what, String where, Object... args) {
        return Statements.onConnection(db, what, c -> WITH_TASKS.load(c, where, args));
    }

    @Override
    public Optional<double[][]> affinity(long studyId) {
        return Statements.one(db, "read the task affinity of study " + studyId,
                rs -> RowMapping.matrix(rs.getString("affinity")), "SELECT affinity FROM task_affinity WHERE study_id = ?",
                studyId);
    }

    @Override
    public double[][] saveAffinity(long studyId, double[][] affinity, Instant now) {
        Statements.update(db, "store the task affinity of study " + studyId, """
                INSERT INTO task_affinity (study_id, affinity, created_at) VALUES (?, ?, ?)
                ON CONFLICT (study_id) DO NOTHING""", studyId, RowMapping.json(Arrays.stream(affinity)
                .map(row -> Arrays.stream(row).map(v -> Double.isFinite(v) ? v : 0).toArray()).toArray(double[][]::new)),
                RowMapping.timestamp(now));
        return affinity(studyId).orElseThrow();
    }
}
