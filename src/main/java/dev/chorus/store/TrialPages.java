package dev.chorus.store;

import dev.chorus.error.ValidationException;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore.TrialOrder;
import dev.chorus.trial.TrialStore.TrialQuery;
import io.agroal.api.AgroalDataSource;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The pages of {@link JdbcTrialStore#page}: by offset, or by keyset from a trial of the study (the rows
 * after or before it in the page's order). A keyset page reads about as many index entries as it returns,
 * wherever it lies; an offset page reads every row before it, so deep pages should go by keyset (in number
 * order an offset page past the middle is read from the far end, so the last pages are cheap too; the
 * middle one reads half the study). The
 * order is the sort key (trials without a value last, in both directions), then the trial number in the
 * same direction; each half (with a value, without) is read by its own statement so that an index gives
 * it in order (V1 and V16; the bench's EXPLAIN ANALYZE shows which).
 */
final class TrialPages {

    private static final String BASE = "WHERE study_id = ? AND variant_of IS NULL";

    private TrialPages() {
    }

    static List<Trial> page(AgroalDataSource db, long studyId, TrialQuery q) {
        String what = "read a page of the trials of study " + studyId;
        return Statements.onConnection(db, what, c -> {
            if (q.after() == null && q.before() == null) {
                return offset(c, studyId, q);
            }
            int anchor = q.after() != null ? q.after() : q.before();
            Optional<Object> value = key(c, studyId, q.order(), anchor);
            if (value.isEmpty()) {
                throw new ValidationException("a page of the trials of study " + studyId, List.of(
                        (q.after() != null ? "after" : "before") + ": the study has no trial " + anchor
                                + " (give the number of a trial on the page you come from)"));
            }
            boolean forward = q.after() != null;
            List<Trial> out = keyset(c, studyId, q, value.get(), anchor, forward);
            if (!forward) {
                out = new ArrayList<>(out);
                Collections.reverse(out);
            }
            return out;
        });
    }

    private static List<Trial> offset(Statements.Connected c, long studyId, TrialQuery q) throws SQLException {
        if (q.order() == TrialOrder.NUMBER) {
            long total = count(c, studyId, q);
            if (q.offset() > total / 2) {
                // past the middle: the page is the rows just before the last (total - offset - limit) in the
                // reversed order, which an index scan from the far end reaches in that many rows
                long beyond = total - q.offset() - q.limit();
                int limit = (int) Math.max(0, Math.min(q.limit(), total - q.offset()));
                List<Trial> out = new ArrayList<>(load(c, studyId, q, "", " ORDER BY number "
                        + (q.descending() ? "ASC" : "DESC") + " OFFSET ? LIMIT ?", Math.max(0, beyond), limit));
                Collections.reverse(out);
                return out;
            }
        }
        String direction = q.descending() ? "DESC" : "ASC";
        // models and number are never null: without NULLS LAST a descending page is a backward index scan
        String nulls = q.order() == TrialOrder.NUMBER || q.order() == TrialOrder.MODELS ? "" : " NULLS LAST";
        String order = q.order() == TrialOrder.NUMBER ? "number " + direction
                : column(q.order()) + " " + direction + nulls + ", number " + direction;
        return load(c, studyId, q, "", " ORDER BY " + order + " OFFSET ? LIMIT ?", q.offset(), q.limit());
    }

    /**
     * The rows after the anchor (value, number) in the page's order when {@code forward}, else the rows
     * before it nearest first (the caller reverses them). Going backwards is going forwards in the
     * reversed order, where the trials without a value come first.
     */
    private static List<Trial> keyset(Statements.Connected c, long studyId, TrialQuery q, Object value, int number,
                                      boolean forward) throws SQLException {
        boolean descending = q.descending() == forward; // the direction this scan reads in
        String op = descending ? "<" : ">";
        String dir = descending ? "DESC" : "ASC";
        if (q.order() == TrialOrder.NUMBER) {
            return load(c, studyId, q, " AND number " + op + " ?", " ORDER BY number " + dir + " LIMIT ?", number,
                    q.limit());
        }
        String col = column(q.order());
        String withValue = " AND " + col + " IS NOT NULL";
        String withoutValue = " AND " + col + " IS NULL";
        String valueOrder = " ORDER BY " + col + " " + dir + ", number " + dir + " LIMIT ?";
        String numberOrder = " ORDER BY number " + dir + " LIMIT ?";
        List<Trial> out = new ArrayList<>();
        if (value != NULL) {
            // col <= v (or >=) bounds the index range; the rest breaks the tie on the number
            String after = withValue + " AND " + col + " " + op + "= ? AND (" + col + " " + op + " ? OR number " + op
                    + " ?)";
            out.addAll(load(c, studyId, q, after, valueOrder, value, value, number, q.limit()));
            if (out.size() < q.limit() && forward) {
                out.addAll(load(c, studyId, q, withoutValue, numberOrder, q.limit() - out.size()));
            }
        } else {
            out.addAll(load(c, studyId, q, withoutValue + " AND number " + op + " ?", numberOrder, number,
                    q.limit()));
            if (out.size() < q.limit() && !forward) {
                out.addAll(load(c, studyId, q, withValue, valueOrder, q.limit() - out.size()));
            }
        }
        return out;
    }

    /**
     * The study's trials in the page's states, from the counts kept incrementally ({@code trial_count}, V15):
     * one index read, whatever the study's size.
     */
    private static long count(Statements.Connected c, long studyId, TrialQuery q) throws SQLException {
        String states = q.states().isEmpty() ? "" : " AND state = ANY (?)";
        Object[] args = q.states().isEmpty() ? new Object[] {studyId} : new Object[] {studyId, states(q)};
        return c.one(rs -> rs.getLong(1), "SELECT COALESCE(SUM(n), 0) FROM trial_count WHERE study_id = ?" + states,
                args).orElse(0L);
    }

    /** Marks an anchor without a value for the key. */
    private static final Object NULL = new Object();

    private static Optional<Object> key(Statements.Connected c, long studyId, TrialOrder order, int number)
            throws SQLException {
        return c.one(rs -> rs.getObject(1) == null ? NULL : rs.getObject(1), "SELECT " + column(order)
                + " FROM trial " + BASE + " AND number = ?", studyId, number);
    }

    private static List<Trial> load(Statements.Connected c, long studyId, TrialQuery q, String where, String tail,
                                    Object... args) throws SQLException {
        List<Object> all = new ArrayList<>();
        all.add(studyId);
        String states = "";
        if (!q.states().isEmpty()) {
            states = " AND state = ANY (?)";
            all.add(states(q));
        }
        all.addAll(List.of(args));
        return JdbcTrialStore.WITH_RESULTS.load(c, BASE + states + where + tail, all.toArray());
    }

    /** The page's states as a SQL array, for {@code state = ANY (?)}. */
    private static Object states(TrialQuery q) {
        return Statements.array("text", q.states().stream().map(TrialState::id).sorted().toArray());
    }

    private static String column(TrialOrder order) {
        return switch (order) {
            case NUMBER -> "number";
            case DELTA_M -> "delta_m";
            case MODELS -> "models";
            case FINISHED -> "finished_at";
        };
    }
}
