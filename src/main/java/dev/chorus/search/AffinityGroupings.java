package dev.chorus.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Task groupings ranked by an inter-task affinity matrix, TAG's selection (Fifty et al., NeurIPS 2021).
 *
 * <p>The score of a grouping is the sum over tasks {@code i} of the mean affinity onto {@code i} from
 * the other members of {@code i}'s group, {@code mean_{j in G(i), j != i} A[j][i]}; a task alone in its
 * group scores 0 (it gains nothing from, and loses nothing to, other tasks). Up to 8 tasks every
 * partition into at most {@code maxGroups} groups is scored (Bell(8) = 4140 partitions); above, a beam
 * search adds the tasks one by one, keeping the {@value #BEAM} best partial groupings (partial scores
 * taken over the tasks placed so far).
 *
 * <p>Groupings are per-task group labels in canonical form (the first task is in group 0, each new
 * group takes the next label), so equal partitions are equal lists. Ties are broken by the labels'
 * lexicographic order: the result is a pure function of the arguments.
 *
 * @implNote Stateless and thread-safe.
 */
public final class AffinityGroupings {

    /** Partial groupings kept per task by the beam search above {@value #EXHAUSTIVE} tasks. */
    static final int BEAM = 2_000;
    /** The most tasks whose partitions are all enumerated. */
    static final int EXHAUSTIVE = 8;

    private AffinityGroupings() {
    }

    /**
     * The {@code count} best groupings of the affinity's tasks, best first.
     *
     * @param affinity  square, {@code affinity[i][j]}: the effect of a step on task {@code i} on task
     *                  {@code j}; non-finite entries count as 0
     * @param maxGroups the most groups of a grouping (at least 1)
     * @param count     how many groupings are wanted (at least 0); fewer when fewer partitions exist
     * @return canonical per-task group labels, immutable
     */
    public static List<List<Integer>> best(double[][] affinity, int maxGroups, int count) {
        Objects.requireNonNull(affinity, "affinity");
        int n = affinity.length;
        for (double[] row : affinity) {
            if (row.length != n) {
                throw new IllegalArgumentException("the affinity matrix must be square: " + n + " rows, a row of "
                        + row.length);
            }
        }
        if (maxGroups < 1 || count < 0) {
            throw new IllegalArgumentException("maxGroups must be at least 1 and count at least 0: " + maxGroups
                    + ", " + count);
        }
        if (n == 0 || count == 0) {
            return List.of();
        }
        List<int[]> candidates = n <= EXHAUSTIVE ? Partitions.all(n, maxGroups) : beam(affinity, maxGroups);
        List<Scored> scored = new ArrayList<>();
        for (int[] labels : candidates) {
            scored.add(new Scored(labels, score(affinity, labels, n)));
        }
        scored.sort(ORDER);
        List<List<Integer>> out = new ArrayList<>();
        for (int k = 0; k < Math.min(count, scored.size()); k++) {
            out.add(Arrays.stream(scored.get(k).labels()).boxed().toList());
        }
        return List.copyOf(out);
    }

    /** TAG's score of the first {@code placed} tasks' labels. */
    static double score(double[][] affinity, int[] labels, int placed) {
        double total = 0;
        for (int i = 0; i < placed; i++) {
            double sum = 0;
            int members = 0;
            for (int j = 0; j < placed; j++) {
                if (j != i && labels[j] == labels[i]) {
                    double a = affinity[j][i];
                    sum += Double.isFinite(a) ? a : 0;
                    members++;
                }
            }
            total += members == 0 ? 0 : sum / members;
        }
        return total;
    }

    private record Scored(int[] labels, double score) {
    }

    private static final Comparator<Scored> ORDER = Comparator.comparingDouble(Scored::score).reversed()
            .thenComparing(Scored::labels, Arrays::compare);

    private static List<int[]> beam(double[][] affinity, int g) {
        int n = affinity.length;
        List<int[]> frontier = new ArrayList<>();
        frontier.add(new int[n]);
        for (int position = 1; position < n; position++) {
            List<Scored> next = new ArrayList<>();
            for (int[] partial : frontier) {
                int max = 0;
                for (int i = 0; i < position; i++) {
                    max = Math.max(max, partial[i]);
                }
                for (int label = 0; label <= Math.min(max + 1, g - 1); label++) {
                    int[] child = partial.clone();
                    child[position] = label;
                    next.add(new Scored(child, score(affinity, child, position + 1)));
                }
            }
            next.sort(ORDER);
            frontier = new ArrayList<>();
            for (int k = 0; k < Math.min(BEAM, next.size()); k++) {
                frontier.add(next.get(k).labels());
            }
        }
        return frontier;
    }
}
