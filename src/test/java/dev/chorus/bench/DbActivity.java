package dev.chorus.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * What PostgreSQL did, from its cumulative statistics: transactions committed in the current database,
 * WAL fsyncs of the whole server ({@code pg_stat_io}, PostgreSQL 16 and later), and per table the scans,
 * the rows they read (sequential scans' rows and index scans' fetches) and the rows inserted, updated and
 * deleted. Differences of two readings say what a stretch of work
 * cost in round trips' terms, independent of how loaded the machine was.
 *
 * <p>Backends publish their counters at the end of a transaction at most once a second, and an idle one
 * after 10 s: {@link #read} waits {@link #FLUSH} first, so a reading includes everything before it.
 */
record DbActivity(double commits, double walSyncs, Map<String, double[]> tables) {

    static final Duration FLUSH = Duration.ofSeconds(11);

    static DbActivity read(DataSource db) throws SQLException, InterruptedException {
        Thread.sleep(FLUSH.toMillis());
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
            double commits = single(s, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
            double syncs = single(s, "SELECT coalesce(sum(fsyncs), 0) FROM pg_stat_io WHERE object = 'wal'");
            Map<String, double[]> tables = new TreeMap<>();
            try (ResultSet r = s.executeQuery("SELECT relname, coalesce(seq_scan, 0) + coalesce(idx_scan, 0), n_tup_ins, "
                    + "n_tup_upd, n_tup_del, coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) FROM pg_stat_user_tables")) {
                while (r.next()) {
                    tables.put(r.getString(1), new double[] {r.getDouble(2), r.getDouble(3), r.getDouble(4), r.getDouble(5),
                        r.getDouble(6)});
                }
            }
            return new DbActivity(commits, syncs, tables);
        }
    }

    private static double single(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getDouble(1);
        }
    }

    DbActivity minus(DbActivity earlier) {
        Map<String, double[]> diff = new TreeMap<>();
        tables.forEach((name, now) -> {
            double[] then = earlier.tables.getOrDefault(name, new double[now.length]);
            double[] d = new double[now.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = now[i] - then[i];
            }
            diff.put(name, d);
        });
        return new DbActivity(commits - earlier.commits, walSyncs - earlier.walSyncs, diff);
    }

    DbActivity per(int count) {
        Map<String, double[]> each = new TreeMap<>();
        tables.forEach((name, v) -> {
            double[] d = new double[v.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = v[i] / count;
            }
            each.put(name, d);
        });
        return new DbActivity(commits / count, walSyncs / count, each);
    }

    /** One line: commits, WAL fsyncs, then scans, rows read and rows written of each table that had any. */
    String describe() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%.1f commits, %.1f WAL fsyncs; scans / rows "
                + "read / rows written (inserted + updated + deleted) by table:", commits, walSyncs));
        double scans = 0;
        double read = 0;
        double written = 0;
        for (Map.Entry<String, double[]> e : tables.entrySet()) {
            double[] v = e.getValue();
            double rows = v[1] + v[2] + v[3];
            scans += v[0];
            read += v[4];
            written += rows;
            if (v[0] >= 0.05 || rows >= 0.05) {
                out.append(String.format(Locale.ROOT, " %s %.1f/%.0f/%.1f;", e.getKey(), v[0], v[4], rows));
            }
        }
        return out.append(String.format(Locale.ROOT, " in all %.1f scans, %.0f rows read, %.1f rows written", scans,
                read, written)).toString();
    }
}
