package dev.chorus.mtl.train.weighting;

import java.util.Arrays;

/**
 * Conflict-Averse Gradient descent: Liu, Liu, Jin, Stone and Liu, "Conflict-Averse Gradient Descent
 * for Multi-task Learning", NeurIPS 2021, following the authors' code as LibMTL's {@code CAGrad}
 * carries it.
 *
 * <p>With {@code g0} the average of the task gradients, CAGrad looks for the update {@code d} that
 * maximises the worst task's improvement {@code min_t g_t . d} within the ball
 * {@code ||d - g0|| <= c ||g0||}. Its dual is {@code min_w g_w . g0 + sqrt(phi) ||g_w||} over the
 * simplex, {@code g_w = sum_t w_t g_t}, {@code phi = c^2 ||g0||^2}, and the update is
 * {@code d = g0 + sqrt(phi) / ||g_w|| g_w}, rescaled by {@code 1 / (1 + c^2)} (the authors' default
 * {@code rescale = 1}). Defaults {@code c = 0.5}. With {@code c = 0} it is the average gradient.
 *
 * <p>The dual is a convex problem over a handful of variables, written with the Gram matrix {@code A}
 * of the gradients as {@code x . A b + c ||g0|| sqrt(x . A x)}, {@code b} uniform; the authors use
 * scipy's SLSQP, here it is projected gradient descent on the simplex with a backtracking step,
 * started at the uniform point, at most {@value #MAX_ITER} iterations. {@code A} is divided by its
 * largest diagonal entry first, which leaves the minimiser unchanged and makes the {@code 1e-8} guards
 * relative to the gradients' scale.
 *
 * <p>Deviation, stated: the paper and LibMTL use the gradients of all shared parameters (LibMTL
 * refuses the representation mode for CAGrad); here they are the gradients with respect to the shared
 * representation z. The update is on the scale of the average gradient, not of the sum, as in the
 * paper. Solver tolerance: the projected gradient stops at an L1 move below {@code 1e-12}; LibMTL's
 * SLSQP runs at scipy's default {@code ftol = 1e-6}, so the two updates differ by up to about 1e-4
 * relative, and this one is within 1e-5 of SLSQP run to {@code ftol = 1e-12}.
 *
 * @implNote Absent tasks are left out: {@code g0} is the average over the present tasks. Stateless.
 */
final class CaGrad implements LossWeighting {

    /** The paper's default. */
    static final double C = 0.5;
    static final int MAX_ITER = 2000;

    private final double c;
    private final boolean rescale;

    CaGrad(double c, boolean rescale) {
        if (!(c >= 0) || !Double.isFinite(c)) {
            throw new IllegalArgumentException("c must be finite and >= 0, was " + c);
        }
        this.c = c;
        this.rescale = rescale;
    }

    @Override
    public boolean needsGradients() {
        return true;
    }

    @Override
    public Combination combine(Step step) {
        int[] tasks = Vectors.presentTasks(step.present());
        double[][] grads = Vectors.presentRows(step, tasks);
        int dim = Vectors.dimension(step);
        int n = grads.length;
        if (n == 0) {
            return new Combination.SharedGradient(new double[dim]);
        }
        double[] uniform = new double[n];
        Arrays.fill(uniform, 1.0 / n);
        double[] g0 = Vectors.combine(uniform, grads, dim);
        double[] d = g0.clone();
        if (c > 0) {
            double[] w = solveDual(Vectors.gram(grads));
            double[] gw = Vectors.combine(w, grads, dim);
            double lambda = c * Vectors.norm(g0) / (Vectors.norm(gw) + 1e-8);
            Vectors.axpy(lambda, gw, d);
        }
        if (rescale) {
            for (int i = 0; i < dim; i++) {
                d[i] /= 1 + c * c;
            }
        }
        return new Combination.SharedGradient(d);
    }

    /** The dual weights w on the simplex for the Gram matrix {@code a}. */
    double[] solveDual(double[][] a) {
        int n = a.length;
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, a[i][i]);
        }
        double[] x = new double[n];
        Arrays.fill(x, 1.0 / n);
        if (!(scale > 0) || n == 1) {
            return x;
        }
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = a[i][j] / scale;
            }
        }
        double[] ab = times(m, x);
        double g0Norm = Math.sqrt(Vectors.dot(x, ab) + 1e-8);
        double k = c * g0Norm + 1e-8;
        double step = 1.0;
        double f = objective(m, ab, k, x);
        for (int iter = 0; iter < MAX_ITER; iter++) {
            double[] ax = times(m, x);
            double root = Math.sqrt(Vectors.dot(x, ax) + 1e-8);
            double[] grad = new double[n];
            for (int i = 0; i < n; i++) {
                grad[i] = ab[i] + k * ax[i] / root;
            }
            double[] next;
            double fNext;
            double moved;
            step *= 2;
            while (true) {
                double[] y = new double[n];
                for (int i = 0; i < n; i++) {
                    y[i] = x[i] - step * grad[i];
                }
                next = Vectors.projectToSimplex(y);
                fNext = objective(m, ab, k, next);
                double linear = 0;
                moved = 0;
                for (int i = 0; i < n; i++) {
                    double dx = next[i] - x[i];
                    linear += grad[i] * dx + dx * dx / (2 * step);
                    moved += Math.abs(dx);
                }
                if (fNext <= f + linear + 1e-15 || step < 1e-12) {
                    break;
                }
                step /= 2;
            }
            x = next;
            f = fNext;
            if (moved < 1e-12) {
                break;
            }
        }
        return x;
    }

    private static double objective(double[][] m, double[] ab, double k, double[] x) {
        return Vectors.dot(x, ab) + k * Math.sqrt(Vectors.dot(x, times(m, x)) + 1e-8);
    }

    private static double[] times(double[][] m, double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Vectors.dot(m[i], x);
        }
        return out;
    }
}
