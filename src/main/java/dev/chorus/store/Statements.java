package dev.chorus.store;

import dev.chorus.error.StoreException;
import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One statement on a connection of the pool (the caller's transaction's when there is one), with its
 * parameters bound in order and any {@link SQLException} turned into a {@link StoreException} that
 * says what could not be done.
 */
final class Statements {

    private Statements() {
    }

    /** Maps one row; may throw what {@link ResultSet} throws. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static <T> List<T> many(AgroalDataSource db, String what, RowMapper<T> mapper, String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not " + what, e);
        }
    }

    static <T> Optional<T> one(AgroalDataSource db, String what, RowMapper<T> mapper, String sql, Object... args) {
        List<T> all = many(db, what, mapper, sql, args);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
    }

    /** @return how many rows changed */
    static int update(AgroalDataSource db, String what, String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not " + what, e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
