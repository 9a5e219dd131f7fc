package dev.chorus.mtl.train.weighting;

import java.util.Arrays;

/**
 * Nash-MTL: Navon, Shamsian, Achituve, Maron, Kawaguchi, Chechik and Fetaya, "Multi-Task Learning as a
 * Bargaining Game", ICML 2022, after the authors' code as LibMTL's {@code Nash_MTL} carries it.
 *
 * <p>The Nash bargaining update {@code d = sum_t alpha_t g_t} maximises {@code sum_t log(g_t . d)} in a
 * ball; its weights solve {@code alpha_t (G alpha)_t = 1} for every task, {@code G} the Gram matrix of
 * the task gradients. The weights are returned as loss weights ({@link Combination.Weights}), as the
 * code back-propagates {@code sum_t alpha_t L_t}.
 *
 * <p>LibMTL's weights, exactly: it divides {@code G} by {@code nf = ||G||_F} ({@code
 * normalization_factor}) and solves up to 20 convex problems (cvxpy/ECOS) with the constraints
 * {@code -log(alpha_t nf) - log((G/nf alpha)_t) <= 0}, i.e. {@code alpha_t (G alpha)_t >= 1} with the
 * raw {@code G}: {@code nf} cancels there, and at the solution every constraint is active. So its alpha
 * is the solution for the raw {@code G}, {@code 1/sqrt(nf)} times the solution for {@code G/nf}. Here
 * too (before, the weights were {@code sqrt(nf)} times LibMTL's).
 *
 * <p>Solver: {@code alpha = beta / sqrt(nf)} with {@code beta} the minimiser of the strictly convex,
 * self-concordant {@code F(b) = b^T (G/nf) b / 2 - sum_t log b_t} over {@code b > 0} (its stationarity
 * is the condition above), by damped Newton (Armijo backtracking, full steps once the Newton decrement
 * is below 1/4), started between the MGDA min-norm weights and uniform ones. The Hessian
 * {@code G/nf + diag(1/b^2)} is positive definite even when {@code G} is singular, so rank-deficient
 * Gram matrices (collinear or duplicated tasks) converge as well. Tolerance: the weights are accepted
 * when {@code max_t |alpha_t (G alpha)_t - 1| <= }{@value #TOLERANCE} (typically about 1e-15 is
 * reached); otherwise, and when no direction improves every task (min-norm point zero), the previous
 * weights are kept, as the code keeps them when its solver fails; they start at 1.
 *
 * <p>Selected by {@link dev.chorus.mtl.Weighting#NASH_MTL} (YAML {@code weighting: [nash-mtl]}).
 * Differences from LibMTL, stated: the gradients are those of the shared representation z (LibMTL
 * refuses that mode for Nash-MTL; with z they are the flattened {@code dL_t/dz} of the whole batch);
 * the code's clipping of the shared gradient norm to 1 ({@code max_norm}) is the trainer's to apply,
 * not done here; weights are recomputed every step ({@code update_weights_every = 1}, the default);
 * Newton to {@value #TOLERANCE} instead of ECOS's sequence, which stops when an iterate moves less than
 * 1e-6 (its residual test, {@code ||(G/nf) alpha - 1/alpha|| < 1e-3}, is on the normalised matrix and
 * does not fire unless {@code nf} is about 1); the previous weights are not the solver's start.
 *
 * @implNote Absent tasks get weight 0, are left out of {@code G}, and keep their previous weight.
 */
final class NashMtl implements LossWeighting {

    static final int MAX_NEWTON = 500;
    /** The largest {@code |alpha_i (G alpha)_i - 1|} accepted. */
    static final double TOLERANCE = 1e-10;

    private double[] previous;

    @Override
    public boolean needsGradients() {
        return true;
    }

    @Override
    public Combination combine(Step step) {
        int tasks = step.tasks();
        if (previous == null) {
            previous = new double[tasks];
            Arrays.fill(previous, 1.0);
        }
        Vectors.checkTasks(tasks, previous.length);
        int[] idx = Vectors.presentTasks(step.present());
        double[] alpha = bargain(Vectors.gram(Vectors.presentRows(step, idx)));
        double[] weights = new double[tasks];
        for (int k = 0; k < idx.length; k++) {
            int t = idx[k];
            if (alpha != null) {
                previous[t] = alpha[k];
            }
            weights[t] = previous[t];
        }
        return new Combination.Weights(weights);
    }

    /**
     * The solution of {@code alpha_i (G alpha)_i = 1}, {@code alpha > 0}, for the Gram matrix {@code G}
     * of the task gradients, with {@code max_i |alpha_i (G alpha)_i - 1| <= }{@value #TOLERANCE}; null
     * when there is none (no common descent direction) or it is not reached.
     */
    static double[] bargain(double[][] gram) {
        int n = gram.length;
        double frobenius = 0;
        for (double[] row : gram) {
            frobenius += Vectors.dot(row, row);
        }
        frobenius = Math.sqrt(frobenius);
        if (n == 0 || !(frobenius > 0) || !Double.isFinite(frobenius)) {
            return null;
        }
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g[i][j] = gram[i][j] / frobenius;
            }
        }
        // a common descent direction exists iff the min-norm point d of the hull is not 0: g_t . d >= |d|^2
        double[] minNorm = MinNormSolver.solve(g);
        for (double v : times(g, minNorm)) {
            if (!(v > 1e-12)) {
                return null;
            }
        }
        double[] beta = solveNormalised(g, minNorm);
        if (beta == null) {
            return null;
        }
        double root = Math.sqrt(frobenius);
        double[] alpha = new double[n];
        for (int i = 0; i < n; i++) {
            alpha[i] = beta[i] / root;
        }
        return residual(gram, alpha) <= TOLERANCE ? alpha : null;
    }

    /**
     * Damped Newton on the strictly convex {@code F(b) = b^T G b / 2 - sum_i log b_i} over {@code b > 0},
     * whose stationarity is {@code G b = 1 / b}; its Hessian {@code G + diag(1 / b^2)} is positive
     * definite whether or not {@code G} is singular, and {@code F} is self-concordant, so Newton with
     * an Armijo backtracking that keeps {@code b > 0} converges from any positive start.
     */
    private static double[] solveNormalised(double[][] g, double[] minNorm) {
        int n = g.length;
        // start halfway between the min-norm weights and uniform ones (in the simplex, all positive, so
        // b^T G b >= |d|^2 > 0), at the best point of that ray
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = 0.5 * minNorm[i] + 0.5 / n;
        }
        double ray = Math.sqrt(n / Vectors.dot(b, times(g, b)));
        for (int i = 0; i < n; i++) {
            b[i] *= ray;
        }
        double value = objective(g, b);
        for (int iter = 0; iter < MAX_NEWTON && residual(g, b) > 1e-14; iter++) {
            double[] gb = times(g, b);
            double[] grad = new double[n];
            double[][] hessian = new double[n][n];
            for (int i = 0; i < n; i++) {
                grad[i] = gb[i] - 1 / b[i];
                for (int j = 0; j < n; j++) {
                    hessian[i][j] = g[i][j] + (i == j ? 1 / (b[i] * b[i]) : 0);
                }
            }
            // solved with the Hessian scaled to a unit diagonal, so that a singular G cannot trip the pivot test
            double[] root = new double[n];
            for (int i = 0; i < n; i++) {
                root[i] = Math.sqrt(hessian[i][i]);
            }
            double[] rhs = new double[n];
            for (int i = 0; i < n; i++) {
                rhs[i] = -grad[i] / root[i];
                for (int j = 0; j < n; j++) {
                    hessian[i][j] /= root[i] * root[j];
                }
            }
            double[] step = Vectors.solve(hessian, rhs);
            if (step == null) {
                return null;
            }
            for (int i = 0; i < n; i++) {
                step[i] /= root[i];
            }
            double slope = Vectors.dot(grad, step);
            if (!(slope < 0) || -slope < 1e-30) {
                break;
            }
            // within the Newton decrement 1/4 of the optimum, full steps stay feasible and converge
            // quadratically (F is self-concordant); there F's rounding no longer resolves the decrease
            boolean quadratic = -slope < 1.0 / 16;
            double t = 1;
            boolean accepted = false;
            while (t > 1e-12) {
                double[] candidate = b.clone();
                Vectors.axpy(t, step, candidate);
                if (Arrays.stream(candidate).allMatch(v -> v > 0)) {
                    double next = objective(g, candidate);
                    if (quadratic || next <= value + 0.25 * t * slope) {
                        b = candidate;
                        value = next;
                        accepted = true;
                        break;
                    }
                }
                t /= 2;
            }
            if (!accepted) {
                break;
            }
        }
        return Arrays.stream(b).allMatch(v -> v > 0 && Double.isFinite(v)) ? b : null;
    }

    /** {@code max_i |alpha_i (G alpha)_i - 1|}. */
    static double residual(double[][] gram, double[] alpha) {
        double[] ga = times(gram, alpha);
        double worst = 0;
        for (int i = 0; i < alpha.length; i++) {
            worst = Math.max(worst, Math.abs(alpha[i] * ga[i] - 1));
        }
        return Double.isNaN(worst) ? Double.POSITIVE_INFINITY : worst;
    }

    private static double objective(double[][] g, double[] b) {
        double value = Vectors.dot(b, times(g, b)) / 2;
        for (double v : b) {
            value -= Math.log(v);
        }
        return value;
    }

    private static double[] times(double[][] m, double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Vectors.dot(m[i], x);
        }
        return out;
    }
}
