package dev.chorus.store;

import dev.chorus.trial.FrontStore;
import dev.chorus.trial.Trial;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
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
    public void addHypervolume(long studyId, long trialId, int trials, double value, Instant now) {
        Statements.update(db, "store the hypervolume of study " + studyId, """
                INSERT INTO hypervolume_history (study_id, trials, trial_id, value, created_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""", studyId, trials, trialId, value,
                RowMapping.timestamp(now));
    }

    @Override
    public Optional<Double> lastHypervolume(long studyId) {
        return Statements.one(db, "read the hypervolume of study " + studyId, rs -> rs.getDouble(1),
                "SELECT value FROM hypervolume_history WHERE study_id = ? ORDER BY trials DESC, created_at DESC LIMIT 1",
                studyId);
    }

    @Override
    public List<HypervolumePoint> hypervolume(long studyId) {
        return Statements.many(db, "read the hypervolume history of study " + studyId, RowMapping::hypervolume,
                "SELECT * FROM hypervolume_history WHERE study_id = ? ORDER BY trials, created_at", studyId);
    }
}
