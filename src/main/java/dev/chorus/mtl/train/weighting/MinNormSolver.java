package dev.chorus.mtl.train.weighting;

import java.util.Arrays;

/**
 * The minimum-norm point of the convex hull of a set of vectors, given their Gram matrix: the
 * {@code MinNormSolver} of Sener and Koltun, "Multi-Task Learning as Multi-Objective Optimization",
 * NeurIPS 2018, ported from their code as LibMTL's {@code MGDA} carries it.
 *
 * <p>Finds {@code alpha} in the simplex minimising {@code ||sum_t alpha_t g_t||^2}. Two vectors are
 * solved in closed form (the paper's Algorithm 1), with the code's clipping of {@code gamma} to
 * {@code 0.999} / {@code 0.001} at the ends. More vectors start from the best pair and run the
 * Frank-Wolfe-style iteration of the code (Algorithm 2: a projected step toward the simplex vertex,
 * then the exact line search between the two points), at most {@value #MAX_ITER} iterations, stopping
 * when the L1 change of {@code alpha} falls below {@value #STOP_CRIT}.
 *
 * <p>Deviation, stated: the authors stop at an L1 change of {@code 1e-5}, which on random five-task
 * problems left the squared norm up to 2.8% above the minimum and some task's improvement
 * {@code g_t . d} up to 17% below {@code ||d||^2}; the same iteration run to {@code 1e-10} (still at
 * most 250 iterations, each O(n^2) on the Gram matrix) reached the minimum to 1e-14 there.
 */
final class MinNormSolver {

    static final int MAX_ITER = 250;
    static final double STOP_CRIT = 1e-10;

    private MinNormSolver() {
    }

    /** The coefficients {@code alpha} (length n, summing to 1) for the n-by-n Gram matrix. */
    static double[] solve(double[][] gram) {
        int n = gram.length;
        if (n == 0) {
            return new double[0];
        }
        if (n == 1) {
            return new double[] {1.0};
        }
        double[] sol = new double[n];
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double[] cd = fromTwo(gram[i][i], gram[i][j], gram[j][j]);
                if (cd[1] < best) {
                    best = cd[1];
                    Arrays.fill(sol, 0);
                    sol[i] = cd[0];
                    sol[j] = 1 - cd[0];
                }
            }
        }
        if (n < 3) {
            return sol;
        }
        for (int iter = 0; iter < MAX_ITER; iter++) {
            double[] gradDir = times(gram, sol);
            for (int k = 0; k < n; k++) {
                gradDir[k] = -gradDir[k];
            }
            double[] next = nextPoint(sol, gradDir);
            double[] cd = fromTwo(quad(gram, sol, sol), quad(gram, sol, next), quad(gram, next, next));
            double change = 0;
            double[] newSol = new double[n];
            for (int k = 0; k < n; k++) {
                newSol[k] = cd[0] * sol[k] + (1 - cd[0]) * next[k];
                change += Math.abs(newSol[k] - sol[k]);
            }
            if (change < STOP_CRIT) {
                return sol;
            }
            sol = newSol;
        }
        return sol;
    }

    /**
     * The min-norm point of the segment between v1 and v2, from their products: {@code {gamma, cost}}
     * with {@code gamma} the coefficient of v1 and {@code cost} the squared norm there.
     */
    static double[] fromTwo(double v1v1, double v1v2, double v2v2) {
        if (v1v2 >= v1v1) {
            return new double[] {0.999, v1v1};
        }
        if (v1v2 >= v2v2) {
            return new double[] {0.001, v2v2};
        }
        double gamma = -1.0 * ((v1v2 - v2v2) / (v1v1 + v2v2 - 2 * v1v2));
        return new double[] {gamma, v2v2 + gamma * (v1v2 - v2v2)};
    }

    private static double[] nextPoint(double[] cur, double[] grad) {
        int n = cur.length;
        double mean = 0;
        for (double g : grad) {
            mean += g / n;
        }
        double[] proj = new double[n];
        double t = 1;
        double tm1 = Double.POSITIVE_INFINITY;
        double tm2 = Double.POSITIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            proj[k] = grad[k] - mean;
            if (proj[k] < 0) {
                double v = -cur[k] / proj[k];
                if (v > 1e-7) {
                    tm1 = Math.min(tm1, v);
                }
            } else if (proj[k] > 0) {
                double v = (1 - cur[k]) / proj[k];
                if (v > 1e-7) {
                    tm2 = Math.min(tm2, v);
                }
            }
        }
        if (tm1 < Double.POSITIVE_INFINITY) {
            t = tm1;
        }
        if (tm2 < Double.POSITIVE_INFINITY) {
            t = Math.min(t, tm2);
        }
        double[] next = new double[n];
        for (int k = 0; k < n; k++) {
            next[k] = proj[k] * t + cur[k];
        }
        return Vectors.projectToSimplex(next);
    }

    private static double[] times(double[][] m, double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Vectors.dot(m[i], x);
        }
        return out;
    }

    private static double quad(double[][] m, double[] x, double[] y) {
        return Vectors.dot(x, times(m, y));
    }
}
