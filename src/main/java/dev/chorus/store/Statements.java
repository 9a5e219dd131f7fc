package dev.chorus.store;

import dev.chorus.error.StoreException;
import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The one way the adapters run SQL: statements on a connection of the pool, with their parameters bound
 * in order and any {@link SQLException} turned into a {@link StoreException} that says what could not be
 * done.
 *
 * <p>Transactions: the pool hands out the caller's transaction's connection when there is one, so every
 * statement takes part in it; otherwise each statement of {@link #many}, {@link #one}, {@link #update}
 * and {@link #batch} commits on its own. {@link #onConnection} runs several statements on one connection
 * (one transaction when the caller has one), for work whose statements belong together: a lock and the
 * inserts it guards, parents and their children.
 *
 * <p>Parameters are bound with {@link PreparedStatement#setObject}; an {@link #array} becomes a SQL array
 * of the connection the statement runs on.
 *
 * @implNote Stateless and thread-safe; a {@link Connected} belongs to the thread that runs the work.
 */
final class Statements {

    private Statements() {
    }

    /** Maps one row; may throw what {@link ResultSet} throws. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Reads one row; called once per row of a result, in order. */
    @FunctionalInterface
    interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    /** Statements that must share one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connected c) throws SQLException;
    }

    /** A SQL array parameter: {@code type} is the element type as PostgreSQL names it ({@code bigint}, {@code text}). */
    record SqlArray(String type, Object[] values) {
    }

    static SqlArray array(String type, Collection<?> values) {
        return new SqlArray(type, values.toArray());
    }

    static SqlArray array(String type, Object[] values) {
        return new SqlArray(type, values);
    }

    /** Runs {@code work} on one connection of the pool; {@code what} completes "could not ...". */
    static <T> T onConnection(AgroalDataSource db, String what, Work<T> work) {
        try (Connection c = db.getConnection()) {
            return work.run(new Connected(c));
        } catch (SQLException e) {
            throw new StoreException("could not " + what, e);
        }
    }

    static <T> List<T> many(AgroalDataSource db, String what, RowMapper<T> mapper, String sql, Object... args) {
        return onConnection(db, what, c -> c.many(mapper, sql, args));
    }

    static <T> Optional<T> one(AgroalDataSource db, String what, RowMapper<T> mapper, String sql, Object... args) {
        return onConnection(db, what, c -> c.one(mapper, sql, args));
    }

    /** Reads every row of a query in turn, without collecting them. */
    static void each(AgroalDataSource db, String what, RowReader reader, String sql, Object... args) {
        onConnection(db, what, c -> {
            c.each(reader, sql, args);
            return null;
        });
    }

    /** @return how many rows changed */
    static int update(AgroalDataSource db, String what, String sql, Object... args) {
        return onConnection(db, what, c -> c.update(sql, args));
    }

    /** Runs one statement once per parameter row, as one JDBC batch. @return how many rows each changed */
    static int[] batch(AgroalDataSource db, String what, String sql, List<Object[]> rows) {
        return onConnection(db, what, c -> c.batch(sql, rows));
    }

    /**
     * The statements of one connection, for {@link #onConnection}: the same operations, throwing what JDBC
     * throws for {@code onConnection} to report.
     */
    static final class Connected {

        private final Connection connection;

        private Connected(Connection connection) {
            this.connection = connection;
        }

        void each(RowReader reader, String sql, Object... args) throws SQLException {
            try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        }

        <T> List<T> many(RowMapper<T> mapper, String sql, Object... args) throws SQLException {
            List<T> out = new ArrayList<>();
            each(rs -> out.add(mapper.map(rs)), sql, args);
            return out;
        }

        <T> Optional<T> one(RowMapper<T> mapper, String sql, Object... args) throws SQLException {
            List<T> all = many(mapper, sql, args);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
        }

        /** @return how many rows changed */
        int update(String sql, Object... args) throws SQLException {
            try (PreparedStatement ps = prepare(sql, args)) {
                return ps.executeUpdate();
            }
        }

        /** @return how many rows each parameter row changed */
        int[] batch(String sql, List<Object[]> rows) throws SQLException {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                for (Object[] row : rows) {
                    bind(ps, row);
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        }

        private PreparedStatement prepare(String sql, Object... args) throws SQLException {
            PreparedStatement ps = connection.prepareStatement(sql);
            try {
                bind(ps, args);
                return ps;
            } catch (SQLException e) {
                ps.close();
                throw e;
            }
        }

        private void bind(PreparedStatement ps, Object... args) throws SQLException {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i] instanceof SqlArray a ? connection.createArrayOf(a.type(), a.values())
                        : args[i]);
            }
        }
    }
}
