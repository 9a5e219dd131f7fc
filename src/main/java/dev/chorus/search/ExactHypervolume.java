package dev.chorus.search;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The exact volume of a union of boxes {@code [0, p]} (every coordinate of every {@code p} above 0, all
 * objectives maximised): a sweep in 2 dimensions, a sweep over the third objective with a 2-D staircase in
 * 3 (as HV3D, Beume et al. 2009), and WFG above (While, Bradstreet and Barone 2012): the volume is the sum
 * of each point's exclusive contribution against the points after it, and the points after it, limited
 * to its box, lose one dimension because they are sorted by the last objective. Dominated points are
 * dropped from every limit set, at every level of the recursion.
 *
 * <p>The work is counted (comparisons and points swept) against a budget, so that a caller can stop an
 * exact computation that would take too long and estimate instead ({@link Hypervolume#estimate}).
 *
 * @implNote Not thread-safe: one instance per computation.
 */
final class ExactHypervolume {

    /** The work passed the budget; the computation stopped. */
    static final class OverBudget extends RuntimeException {
        OverBudget() {
            super("hypervolume work over budget", null, false, false);
        }
    }

    private long workLeft;

    /** @param budget the most work units (comparisons, points swept) before {@link OverBudget} */
    ExactHypervolume(long budget) {
        this.workLeft = budget;
    }

    /**
     * The volume of the union of the boxes {@code [0, p]} over the first {@code dims} coordinates.
     *
     * @throws OverBudget when the work passes the budget
     */
    double volume(double[][] points, int dims) {
        return union(nonDominated(points, points.length, dims), dims);
    }

    /**
     * The volume {@code point} adds to the union of the boxes of {@code others} (its exclusive
     * contribution): its box less the union of the others limited to its box.
     *
     * @throws OverBudget when the work passes the budget
     */
    double contribution(double[][] others, double[] point, int dims) {
        double[][] limit = new double[others.length][];
        for (int j = 0; j < others.length; j++) {
            double[] q = new double[dims];
            for (int k = 0; k < dims; k++) {
                q[k] = Math.min(point[k], others[j][k]);
            }
            limit[j] = q;
        }
        spend(others.length);
        return Math.max(0, box(point, dims) - volume(limit, dims));
    }

    /** Work units spent so far out of a budget of {@code budget}. */
    long spent(long budget) {
        return budget - workLeft;
    }

    /** The volume of non-dominated points. */
    private double union(double[][] points, int dims) {
        int n = points.length;
        if (n == 0) {
            return 0;
        }
        if (n == 1) {
            return box(points[0], dims);
        }
        return switch (dims) {
            case 1 -> Arrays.stream(points).mapToDouble(p -> p[0]).max().orElse(0);
            case 2 -> sweep2(points);
            case 3 -> sweep3(points);
            default -> wfg(points, dims);
        };
    }

    /** WFG: sorted by the last objective, ascending, each point's limit set lies in {@code dims - 1} dimensions. */
    private double wfg(double[][] points, int dims) {
        int last = dims - 1;
        double[][] sorted = points.clone();
        Arrays.sort(sorted, Comparator.comparingDouble(p -> p[last]));
        double total = 0;
        double[][] limit = new double[sorted.length][];
        for (int i = 0; i < sorted.length; i++) {
            double[] p = sorted[i];
            int m = 0;
            for (int j = i + 1; j < sorted.length; j++) {
                double[] q = new double[last];
                for (int k = 0; k < last; k++) {
                    q[k] = Math.min(p[k], sorted[j][k]);
                }
                limit[m++] = q;
            }
            spend(m);
            // every limited point reaches at least p[last] in the last objective: that factor is common
            double covered = m == 0 ? 0 : p[last] * union(nonDominated(limit, m, last), last);
            total += box(p, dims) - covered;
        }
        return total;
    }

    /** 2-D: sorted by the first objective, descending, each point adds the strip above the best second so far. */
    private double sweep2(double[][] points) {
        double[][] sorted = points.clone();
        Arrays.sort(sorted, Comparator.comparingDouble((double[] p) -> p[0]).reversed());
        spend(sorted.length);
        double area = 0;
        double top = 0;
        for (double[] p : sorted) {
            if (p[1] > top) {
                area += p[0] * (p[1] - top);
                top = p[1];
            }
        }
        return area;
    }

    /**
     * 3-D: sorted by the third objective, descending; the area covered in the first two by the points so
     * far (a staircase, x ascending and y descending) times the height down to the next point.
     */
    private double sweep3(double[][] points) {
        double[][] sorted = points.clone();
        Arrays.sort(sorted, Comparator.comparingDouble((double[] p) -> p[2]).reversed());
        spend(sorted.length);
        TreeMap<Double, Double> stairs = new TreeMap<>();
        double area = 0;
        double volume = 0;
        for (int i = 0; i < sorted.length; i++) {
            area += insert(stairs, sorted[i][0], sorted[i][1]);
            double below = i + 1 < sorted.length ? sorted[i + 1][2] : 0;
            volume += area * (sorted[i][2] - below);
        }
        return volume;
    }

    /** Adds {@code (x, y)} to the staircase, dropping the steps it dominates; returns the area it adds. */
    private double insert(TreeMap<Double, Double> stairs, double x, double y) {
        Map.Entry<Double, Double> right = stairs.ceilingEntry(x);
        if (right != null && right.getValue() >= y) {
            return 0; // a step at least as far right and as high covers it
        }
        double height = right == null ? 0 : right.getValue(); // what covers the strip left of x so far
        double edge = x;
        double added = 0;
        Map.Entry<Double, Double> left = stairs.lowerEntry(x);
        while (left != null && left.getValue() <= y) {
            spend(1);
            added += (edge - left.getKey()) * (y - height);
            edge = left.getKey();
            height = left.getValue();
            stairs.remove(left.getKey());
            left = stairs.lowerEntry(edge);
        }
        added += (edge - (left == null ? 0 : left.getKey())) * (y - height);
        stairs.put(x, y);
        return added;
    }

    /**
     * The first {@code n} points without those another weakly dominates (duplicates kept once), over the
     * first {@code dims} coordinates: sorted lexicographically descending, a point can only be covered by
     * one kept before it.
     */
    double[][] nonDominated(double[][] points, int n, int dims) {
        double[][] sorted = Arrays.copyOf(points, n);
        Arrays.sort(sorted, (a, b) -> {
            for (int k = 0; k < dims; k++) {
                int c = Double.compare(b[k], a[k]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        double[][] kept = new double[n][];
        int m = 0;
        for (double[] p : sorted) {
            spend(m);
            boolean covered = false;
            for (int j = 0; j < m && !covered; j++) {
                covered = weaklyDominates(kept[j], p, dims);
            }
            if (!covered) {
                kept[m++] = p;
            }
        }
        return Arrays.copyOf(kept, m);
    }

    private static boolean weaklyDominates(double[] a, double[] b, int dims) {
        for (int k = 0; k < dims; k++) {
            if (a[k] < b[k]) {
                return false;
            }
        }
        return true;
    }

    private static double box(double[] p, int dims) {
        double v = 1;
        for (int k = 0; k < dims; k++) {
            v *= p[k];
        }
        return v;
    }

    private void spend(long work) {
        workLeft -= work;
        if (workLeft < 0) {
            throw new OverBudget();
        }
    }
}
