package dev.chorus.report;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The box a hypervolume is read against: from the reference point to the ideal point of a front, the
 * best value of each (maximised) objective over the front's members. A front dominates at most this
 * box, so {@link #share} of its hypervolume lies in [0, 1]; 1 means a single member is best in every
 * objective.
 *
 * <p>The best value of an objective over a set of points is attained by a non-dominated one (a point
 * that dominates the best is at least as good there), so the ideal point of the front is the ideal
 * point of every point the front was chosen from.
 *
 * <p>Degenerate box: an objective in which no member beats the reference has an edge of zero and adds
 * no factor to {@link #volume}. The hypervolume is then 0 (no point lies above the reference in that
 * objective), and so is the share; the volume of a box with no positive edge is 1.
 *
 * @param reference the reference point
 * @param ideal     the best value of each objective over the front, same length as {@code reference}
 * @implNote Immutable in use: the arrays are copied in and never handed out to be written.
 */
record ReferenceBox(double[] reference, double[] ideal) {

    ReferenceBox {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(ideal, "ideal");
        if (ideal.length != reference.length) {
            throw new IllegalArgumentException("the ideal point has " + ideal.length + " objectives, the reference "
                    + reference.length);
        }
        reference = reference.clone();
        ideal = ideal.clone();
    }

    /**
     * The box of a front's points against {@code reference}.
     *
     * @return null when {@code front} is empty (there is no box before a trial completes)
     * @throws IllegalArgumentException if a point's length differs from the reference's
     */
    static ReferenceBox of(List<double[]> front, double[] reference) {
        if (front.isEmpty()) {
            return null;
        }
        double[] ideal = new double[reference.length];
        Arrays.fill(ideal, Double.NEGATIVE_INFINITY);
        for (double[] p : front) {
            if (p.length != reference.length) {
                throw new IllegalArgumentException("a point has " + p.length + " objectives, the reference "
                        + reference.length);
            }
            for (int i = 0; i < p.length; i++) {
                ideal[i] = Math.max(ideal[i], p[i]);
            }
        }
        return new ReferenceBox(reference, ideal);
    }

    /** The product of the box's positive edges {@code ideal - reference}; 1 when none is positive. */
    double volume() {
        double v = 1;
        for (int i = 0; i < reference.length; i++) {
            double edge = ideal[i] - reference[i];
            if (edge > 0) {
                v *= edge;
            }
        }
        return v;
    }

    /**
     * {@code hypervolume / volume()}, within [0, 1]: a hypervolume of a front whose points all lie in
     * the box is at most its volume, so the bounds only absorb rounding.
     */
    double share(double hypervolume) {
        return Math.clamp(hypervolume / volume(), 0.0, 1.0);
    }

    /** The ideal point, a copy. */
    @Override
    public double[] ideal() {
        return ideal.clone();
    }

    /** The reference point, a copy. */
    @Override
    public double[] reference() {
        return reference.clone();
    }
}
