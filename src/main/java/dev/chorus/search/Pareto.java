package dev.chorus.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Pareto dominance for objective vectors that are all <em>maximised</em>.
 *
 * <p>Dominance is the usual one: {@code a} dominates {@code b} when it is at least as good in every
 * objective and strictly better in one. Equal vectors do not dominate each other, so duplicates are
 * all on the same front. Between trials, Deb's constraint domination applies: a feasible trial
 * dominates every infeasible one, and infeasible trials are never compared by their objectives.
 *
 * @implNote Stateless, thread-safe, deterministic. Fronts are found by pairwise comparison,
 *     {@code O(n² m)} for {@code n} points of {@code m} objectives, ample for a study's trials.
 */
public final class Pareto {

    private Pareto() {
    }

    /**
     * Whether {@code a} dominates {@code b} (maximisation).
     *
     * @throws IllegalArgumentException if the lengths differ or a value is NaN
     */
    public static boolean dominates(double[] a, double[] b) {
        return dominance(a, b) > 0;
    }

    /**
     * Whether {@code a} is at least as good as {@code b} in every objective (maximisation): it dominates
     * {@code b} or equals it. Unchecked: callers pass vectors of equal length without NaN.
     */
    public static boolean weaklyDominates(double[] a, double[] b) {
        for (int k = 0; k < a.length; k++) {
            if (a[k] < b[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Indices (ascending) of the points no other point dominates: the first front.
     *
     * @throws IllegalArgumentException if the points differ in length or hold a NaN
     */
    public static List<Integer> nonDominated(List<double[]> points) {
        Objects.requireNonNull(points, "points");
        for (double[] p : points) {
            check(p, points.get(0));
        }
        List<Integer> front = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            boolean dominated = false;
            for (int j = 0; j < points.size() && !dominated; j++) {
                dominated = j != i && io.jenetics.ext.moea.Pareto.dominance(points.get(j), points.get(i)) > 0;
            }
            if (!dominated) {
                front.add(i);
            }
        }
        return List.copyOf(front);
    }

    /**
     * Indices (ascending) of the trials on the Pareto front: the feasible trials that no other
     * feasible trial dominates. Infeasible trials are never on it, so the result is empty when no
     * trial is feasible.
     *
     * @throws IllegalArgumentException if feasible trials differ in their number of objectives
     */
    public static List<Integer> nonDominatedTrials(List<Evaluated> trials) {
        Objects.requireNonNull(trials, "trials");
        List<Integer> feasible = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < trials.size(); i++) {
            if (trials.get(i).feasible()) {
                feasible.add(i);
                points.add(trials.get(i).objectives());
            }
        }
        return nonDominated(points).stream().map(feasible::get).toList();
    }

    /**
     * Constraint domination in Jenetics' convention ({@code 1}: {@code a} dominates {@code b},
     * {@code -1}: {@code b} dominates {@code a}, {@code 0}: neither): feasible beats infeasible,
     * feasible trials compare by Pareto dominance, infeasible trials tie.
     */
    static int constrainedDominance(Evaluated a, Evaluated b) {
        if (a.feasible() != b.feasible()) {
            return a.feasible() ? 1 : -1;
        }
        if (!a.feasible()) {
            return 0;
        }
        if (a.objectiveCount() != b.objectiveCount()) {
            throw new IllegalArgumentException("trials differ in their number of objectives: "
                    + a.objectiveCount() + " vs " + b.objectiveCount());
        }
        boolean aBetter = false;
        boolean bBetter = false;
        for (int i = 0; i < a.objectiveCount(); i++) {
            int cmp = Double.compare(a.objective(i), b.objective(i));
            aBetter |= cmp > 0;
            bBetter |= cmp < 0;
        }
        return aBetter == bBetter ? 0 : aBetter ? 1 : -1;
    }

    private static int dominance(double[] a, double[] b) {
        check(a, b);
        check(b, a);
        return io.jenetics.ext.moea.Pareto.dominance(a, b);
    }

    private static void check(double[] point, double[] other) {
        if (point.length != other.length) {
            throw new IllegalArgumentException("objective vectors differ in length: "
                    + Arrays.toString(point) + " vs " + Arrays.toString(other));
        }
        for (double v : point) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("objective vectors must not hold NaN: " + Arrays.toString(point));
            }
        }
    }
}
