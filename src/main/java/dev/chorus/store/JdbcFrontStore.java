package dev.chorus.store;

import dev.chorus.trial.FrontStore;
import dev.chorus.trial.Trial;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link FrontStore} on PostgreSQL: the front's lock is the study row's, the one trial inserts take. */
@ApplicationScoped
class JdbcFrontStore implements FrontStore {

    private final AgroalDataSource db;

    JdbcFrontStore(AgroalDataSource db) {
        this.db = db;
    }

    @Override
    public void lockFront(long studyId) {
        Statements.onConnection(db, "lock the front of study " + studyId, c -> {
            JdbcTrialStore.lockStudy(c, studyId);
            return null;
        });
    }

    @Override
    public List<Long> owed(long studyId) {
        return Statements.many(db, "read the completions owed to the front of study " + studyId, rs -> rs.getLong(1),
                "SELECT id FROM trial WHERE study_id = ? AND front_owed ORDER BY finished_at, id", studyId);
    }

    @Override
    public void paid(List<Long> trialIds) {
        Statements.update(db, "mark " + trialIds.size() + " completion(s) as taken into the front",
                "UPDATE trial SET front_owed = false WHERE id = ANY (?) AND front_owed", Statements.array("bigint", trialIds));
    }

    @Override
    public List<Long> studiesOwed() {
        return Statements.many(db, "find studies with completions owed to their front", rs -> rs.getLong(1),
                "SELECT DISTINCT study_id FROM trial WHERE front_owed ORDER BY study_id");
    }

    @Override
    public void replaceFront(long studyId, List<Long> trialIds) {
        Statements.onConnection(db, "store the Pareto front of study " + studyId, c -> {
            c.update("DELETE FROM pareto_member WHERE study_id = ?", studyId);
            return c.update("INSERT INTO pareto_member (study_id, trial_id) SELECT ?, UNNEST(?)", studyId,
                    Statements.array("bigint", trialIds));
        });
    }

    @Override
    public List<Trial> front(long studyId) {
        return Statements.onConnection(db, "read Pareto front of study " + studyId,
                c -> JdbcTrialStore.WITH_RESULTS.load(c,
                        "WHERE id IN (SELECT trial_id FROM pareto_member WHERE study_id = ?) ORDER BY number", studyId));
    }

    @Override
    public List<Long> frontIds(long studyId) {
        return Statements.many(db, "read the Pareto front's trial ids of study " + studyId, rs -> rs.getLong(1),
                "SELECT trial_id FROM pareto_member WHERE study_id = ? ORDER BY trial_id", studyId);
    }

    @Override
    public void markFront(long studyId, long trialId, int trials, Instant now) {
        Statements.update(db, "mark the front of study " + studyId + " as changed", """
                INSERT INTO front_change (study_id, version, trial_id, trials, changed_at) VALUES (?, 1, ?, ?, ?)
                ON CONFLICT (study_id) DO UPDATE SET version = front_change.version + 1, trial_id = EXCLUDED.trial_id,
                    trials = EXCLUDED.trials, changed_at = EXCLUDED.changed_at""", studyId, trialId, trials,
                RowMapping.timestamp(now));
    }

    @Override
    public void markFront(long studyId, Instant now) {
        Statements.update(db, "mark the front of study " + studyId + " as changed",
                "UPDATE front_change SET version = version + 1, changed_at = ? WHERE study_id = ?",
                RowMapping.timestamp(now), studyId);
    }

    @Override
    public Optional<FrontChange> lastChange(long studyId) {
        return Statements.one(db, "read the front's last change of study " + studyId,
                rs -> new FrontChange(rs.getLong("version"), rs.getLong("trial_id"), rs.getInt("trials"),
                        RowMapping.instant(rs, "changed_at")),
                "SELECT * FROM front_change WHERE study_id = ?", studyId);
    }

    @Override
    public void addHypervolume(long studyId, HypervolumePoint p) {
        Statements.update(db, "store the hypervolume of study " + studyId, """
                INSERT INTO hypervolume_history (study_id, trials, trial_id, value, error95, exact, front_version,
                    created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (study_id, trial_id) DO UPDATE SET value = EXCLUDED.value, error95 = EXCLUDED.error95,
                    exact = EXCLUDED.exact, front_version = EXCLUDED.front_version, created_at = EXCLUDED.created_at
                WHERE hypervolume_history.front_version < EXCLUDED.front_version""", studyId, p.trials(),
                p.trialId(), p.value(), p.error95(), p.exact(), p.frontVersion(), RowMapping.timestamp(p.at()));
    }

    @Override
    public Optional<HypervolumePoint> lastHypervolume(long studyId) {
        return Statements.one(db, "read the hypervolume of study " + studyId, RowMapping::hypervolume,
                "SELECT * FROM hypervolume_history WHERE study_id = ? ORDER BY trials DESC, created_at DESC LIMIT 1",
                studyId);
    }

    @Override
    public List<HypervolumePoint> hypervolume(long studyId) {
        return Statements.many(db, "read the hypervolume history of study " + studyId, RowMapping::hypervolume,
                "SELECT * FROM hypervolume_history WHERE study_id = ? ORDER BY trials, created_at", studyId);
    }

    @Override
    public List<HypervolumePoint> hypervolume(long studyId, int maxPoints) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("maxPoints must be 2 or more, was " + maxPoints);
        }
        String what = "read the hypervolume history of study " + studyId;
        List<HypervolumePoint> head = Statements.many(db, what, RowMapping::hypervolume,
                "SELECT * FROM hypervolume_history WHERE study_id = ? ORDER BY trials, created_at LIMIT ?", studyId,
                maxPoints + 1);
        if (head.size() <= maxPoints) {
            return head;
        }
        // one index probe per part (hypervolume_by_study_trials), never a scan of the whole history
        List<HypervolumePoint> out = new ArrayList<>(maxPoints + 1);
        out.add(head.getFirst());
        out.addAll(Statements.many(db, what, RowMapping::hypervolume, """
                WITH b AS (SELECT ?::int AS lo, (SELECT max(trials) FROM hypervolume_history WHERE study_id = ?) AS hi)
                SELECT p.* FROM b, generate_series(1, ?) g CROSS JOIN LATERAL (
                    SELECT * FROM hypervolume_history h WHERE h.study_id = ?
                        AND h.trials <= b.lo + ((b.hi - b.lo)::bigint * g) / ?
                        AND h.trials > b.lo + ((b.hi - b.lo)::bigint * (g - 1)) / ?
                    ORDER BY h.trials DESC, h.created_at DESC LIMIT 1) p
                ORDER BY p.trials, p.created_at""", head.getFirst().trials(), studyId, maxPoints, studyId, maxPoints,
                maxPoints));
        return out;
    }

    @Override
    public List<Long> staleHypervolumes() {
        return Statements.many(db, "find studies whose hypervolume is older than their front", rs -> rs.getLong(1), """
                SELECT c.study_id FROM front_change c WHERE c.version > COALESCE(
                    (SELECT max(h.front_version) FROM hypervolume_history h WHERE h.study_id = c.study_id), 0)
                ORDER BY c.study_id""");
    }
}
