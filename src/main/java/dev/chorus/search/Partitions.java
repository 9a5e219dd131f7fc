package dev.chorus.search;

import java.util.ArrayList;
import java.util.List;

/**
 * The groupings of a study's tasks: the partitions of {@code tasks} tasks into at most
 * {@code maxGroups} groups, each written as canonical per-task labels (a restricted growth string:
 * the first task is in group 0, each new group takes the next label), so equal partitions are equal
 * label sequences.
 *
 * @implNote Stateless and thread-safe.
 */
final class Partitions {

    private Partitions() {
    }

    /**
     * How many partitions there are: the sum of the Stirling numbers of the second kind
     * {@code S(tasks, k)} for {@code k} from 1 to {@code maxGroups} (the Bell number of {@code tasks}
     * when {@code maxGroups >= tasks}); {@link Long#MAX_VALUE} when the count does not fit a long.
     *
     * @throws IllegalArgumentException if {@code tasks} or {@code maxGroups} is below 1
     */
    static long count(int tasks, int maxGroups) {
        check(tasks, maxGroups);
        int most = Math.min(tasks, maxGroups);
        long[] stirling = new long[most + 1]; // S(n, k) for the current n, starting at S(0, 0) = 1
        stirling[0] = 1;
        for (int n = 1; n <= tasks; n++) {
            for (int k = Math.min(n, most); k >= 1; k--) {
                stirling[k] = plus(times(k, stirling[k]), stirling[k - 1]);
            }
            stirling[0] = 0;
        }
        long total = 0;
        for (int k = 1; k <= most; k++) {
            total = plus(total, stirling[k]);
        }
        return total;
    }

    /**
     * Every partition, in the lexicographic order of the labels (all tasks together first). There are
     * {@link #count} of them: call it first, the list grows as fast as the Bell numbers.
     *
     * @throws IllegalArgumentException if {@code tasks} or {@code maxGroups} is below 1
     */
    static List<int[]> all(int tasks, int maxGroups) {
        check(tasks, maxGroups);
        List<int[]> out = new ArrayList<>();
        grow(new int[tasks], 1, 0, maxGroups, out);
        return out;
    }

    private static void grow(int[] labels, int position, int max, int maxGroups, List<int[]> out) {
        if (position == labels.length) {
            out.add(labels.clone());
            return;
        }
        for (int label = 0; label <= Math.min(max + 1, maxGroups - 1); label++) {
            labels[position] = label;
            grow(labels, position + 1, Math.max(max, label), maxGroups, out);
        }
    }

    private static void check(int tasks, int maxGroups) {
        if (tasks < 1 || maxGroups < 1) {
            throw new IllegalArgumentException("tasks and maxGroups must be at least 1: " + tasks + ", " + maxGroups);
        }
    }

    /** {@code a + b} for non-negative operands, saturating at {@link Long#MAX_VALUE}. */
    private static long plus(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }

    /** {@code a * b} for non-negative operands, saturating at {@link Long#MAX_VALUE}. */
    private static long times(long a, long b) {
        return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
    }
}
