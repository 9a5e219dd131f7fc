package dev.chorus.store;

import dev.chorus.error.StoreException;
import dev.chorus.trial.Baseline;
import dev.chorus.trial.BaselineStore;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM baseline WHERE hash = ?")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(RowMapping.baseline(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not read baseline " + hash, e);
        }
    }

    @Override
    public Baseline save(Baseline b) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO baseline (hash, task, metric, value, test_value, settings, train_seconds, created_at)
                     VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT (hash) DO NOTHING""")) {
            ps.setString(1, b.hash());
            ps.setString(2, b.task());
            ps.setString(3, b.metric().name());
            ps.setDouble(4, b.validation());
            ps.setDouble(5, b.test());
            ps.setString(6, RowMapping.json(b.settings()));
            ps.setDouble(7, b.trainSeconds());
            ps.setTimestamp(8, RowMapping.timestamp(b.createdAt()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not store baseline " + b.hash(), e);
        }
        return find(b.hash()).orElseThrow();
    }
}
