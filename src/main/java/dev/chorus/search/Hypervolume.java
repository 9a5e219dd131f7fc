package dev.chorus.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The hypervolume indicator for maximised objectives: the volume of the region that the points
 * dominate and that dominates the reference point, that is of the union of the boxes
 * {@code [reference, p]}. Larger is better; a front that dominates another has at least its
 * hypervolume.
 *
 * @implNote Stateless, thread-safe, deterministic. Exact, by slicing the last objective recursively
 *     (HSO, While et al. 2006) after dropping dominated points: fine for the fronts of a study (tens
 *     to hundreds of points, a handful of objectives), exponential in the number of objectives.
 */
public final class Hypervolume {

    private Hypervolume() {
    }

    /**
     * The hypervolume of {@code points} against {@code reference}. Points that are not strictly
     * better than the reference in every objective add nothing.
     *
     * @throws IllegalArgumentException if a point's length differs from the reference's, or a value
     *     is NaN
     */
    public static double of(List<double[]> points, double[] reference) {
        Objects.requireNonNull(points, "points");
        Objects.requireNonNull(reference, "reference");
        List<double[]> inside = new ArrayList<>();
        for (double[] p : points) {
            if (p.length != reference.length) {
                throw new IllegalArgumentException("a point has " + p.length + " objectives, the reference "
                        + reference.length);
            }
            boolean above = true;
            for (int i = 0; i < p.length; i++) {
                if (Double.isNaN(p[i]) || Double.isNaN(reference[i])) {
                    throw new IllegalArgumentException("hypervolume needs values, got NaN");
                }
                above &= p[i] > reference[i];
            }
            if (above) {
                inside.add(p.clone());
            }
        }
        if (inside.isEmpty()) {
            return 0;
        }
        List<double[]> front = Pareto.nonDominated(inside).stream().map(inside::get).toList();
        return volume(front, reference, reference.length);
    }

    /** Volume over the first {@code dims} objectives; every point is above the reference in them. */
    private static double volume(List<double[]> points, double[] reference, int dims) {
        if (dims == 1) {
            return points.stream().mapToDouble(p -> p[0]).max().orElse(reference[0]) - reference[0];
        }
        int last = dims - 1;
        List<double[]> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble((double[] p) -> p[last]).reversed());
        double total = 0;
        for (int i = 0; i < sorted.size(); i++) {
            double below = i + 1 < sorted.size() ? sorted.get(i + 1)[last] : reference[last];
            double height = sorted.get(i)[last] - below;
            if (height > 0) {
                total += height * volume(sorted.subList(0, i + 1), reference, last);
            }
        }
        return total;
    }
}
