package dev.chorus.store;

import dev.chorus.trial.Baseline;
import dev.chorus.trial.BaselineStore;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** {@link BaselineStore} on PostgreSQL. */
@ApplicationScoped
class JdbcBaselineStore implements BaselineStore {

    private final AgroalDataSource db;

    JdbcBaselineStore(AgroalDataSource db) {
        this.db = db;
    }

    @Override
    public Optional<Baseline> find(String hash) {
        return Statements.one(db, "read baseline " + hash, RowMapping::baseline, "SELECT * FROM baseline WHERE hash = ?",
                hash);
    }

    @Override
    public Baseline save(Baseline b) {
        Statements.update(db, "store baseline " + b.hash(), """
                INSERT INTO baseline (hash, task, metric, value, test_value, settings, train_seconds, created_at)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT (hash) DO NOTHING""", b.hash(), b.task(),
                b.metric().name(), b.validation(), b.test(), RowMapping.json(b.settings()), b.trainSeconds(),
                RowMapping.timestamp(b.createdAt()));
        return find(b.hash()).orElseThrow();
    }
}
