package dev.chorus.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

/**
 * How records that own child rows are read: the parent rows by one statement, then the children of all
 * of them by a second on the same connection (so both read one transaction's data when the caller has
 * one), each parent given its children in the order the second statement returns them.
 *
 * @param parentSql    the parents' {@code SELECT … FROM} clause; {@link #load} appends its condition
 * @param parent       maps a parent row, without children
 * @param id           a parent's key, as the children's {@code parentColumn} holds it
 * @param childrenSql  selects the children whose {@code parentColumn} is {@code = ANY (?)} of the keys
 * @param parentColumn the children's column naming their parent
 * @param child        maps a child row; null leaves the row out
 * @param child        maps a child row
 * @param attach       the parent with its children (none when it has none)
 * @implNote Immutable and thread-safe.
 */
record ParentsAndChildren<P, C>(String parentSql, Statements.RowMapper<P> parent, ToLongFunction<P> id,
                                String childrenSql, String parentColumn, Statements.RowMapper<C> child,
                                BiFunction<P, List<C>, P> attach) {

    /** The parents matching {@code where} (with its order and paging), each with its children. */
    List<P> load(Statements.Connected c, String where, Object... args) throws SQLException {
        List<P> parents = c.many(parent, parentSql + " " + where, args);
        if (parents.isEmpty()) {
            return parents;
        }
        Map<Long, List<C>> children = new HashMap<>();
        c.each(rs -> {
            C mapped = child.map(rs);
            if (mapped != null) {
                children.computeIfAbsent(rs.getLong(parentColumn), k -> new ArrayList<>()).add(mapped);
            }
        },
                childrenSql, Statements.array("bigint", parents.stream().map(id::applyAsLong).toList()));
        return parents.stream().map(p -> attach.apply(p, children.getOrDefault(id.applyAsLong(p), List.of()))).toList();
    }
}
