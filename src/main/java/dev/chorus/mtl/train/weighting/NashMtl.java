package dev.chorus.mtl.train.weighting;

import java.util.Arrays;

/**
 * Nash-MTL: Navon, Shamsian, Achituve, Maron, Kawaguchi, Chechik and Fetaya, "Multi-Task Learning as a
 * Bargaining Game", ICML 2022, after the authors' code as LibMTL's {@code Nash_MTL} carries it.
 *
 * <p>The Nash bargaining update {@code d = sum_t alpha_t g_t} maximises {@code sum_t log(g_t . d)} in a
 * ball; its weights solve {@code G alpha = 1 / alpha} (elementwise), {@code G} the Gram matrix of the
 * task gradients, which the code divides by its Frobenius norm first. The weights are returned as
 * loss weights ({@link Combination.Weights}), as the code back-propagates {@code sum_t alpha_t L_t}.
 *
 * <p>Solver: {@code alpha_t = 1 / (g_t . d)} at the minimiser of the convex
 * {@code f(beta) = beta^T G beta / 2 - sum_t log((G beta)_t)} (its stationarity is exactly the
 * condition above), found by damped Newton steps started from the MGDA min-norm point, which makes every
 * {@code g_t . d} positive when any common descent direction exists. The authors instead run up to
 * 20 convex-concave iterations of cvxpy/ECOS toward the same condition. When no direction improves
 * every task (min-norm point zero) or Newton fails, the previous weights are kept, as the code keeps
 * them when its solver fails; they start at 1.
 *
 * <p>Selected by {@link dev.chorus.mtl.Weighting#NASH_MTL} (YAML {@code weighting: [nash-mtl]}). Deviations, stated: the gradients are those of the shared representation (LibMTL refuses that
 * mode for Nash-MTL); the code's clipping of the shared gradient norm to 1 ({@code max_norm}) is the
 * trainer's to apply, not done here; weights are recomputed every step ({@code update_weights_every = 1},
 * the default).
 *
 * @implNote Absent tasks get weight 0, are left out of {@code G}, and keep their previous weight.
 */
final class NashMtl implements LossWeighting {

    static final int MAX_NEWTON = 100;

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
        double[][] gram = Vectors.gram(Vectors.presentRows(step, idx));
        double frobenius = 0;
        for (double[] row : gram) {
            frobenius += Vectors.dot(row, row);
        }
        frobenius = Math.sqrt(frobenius);
        double[] alpha = null;
        if (frobenius > 0) {
            for (double[] row : gram) {
                for (int j = 0; j < row.length; j++) {
                    row[j] /= frobenius;
                }
            }
            alpha = bargain(gram);
        }
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

    /** The solution of {@code G alpha = 1 / alpha}, or null when none is found. */
    static double[] bargain(double[][] gram) {
        int n = gram.length;
        double[] beta = MinNormSolver.solve(gram);
        double[] gb = times(gram, beta);
        for (double v : gb) {
            if (!(v > 1e-12)) {
                return null;
            }
        }
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += gram[i][i];
        }
        double value = objective(gram, beta, gb);
        for (int iter = 0; iter < MAX_NEWTON; iter++) {
            double[] r = new double[n];
            double[] residual = new double[n];
            for (int i = 0; i < n; i++) {
                r[i] = 1 / gb[i];
                residual[i] = beta[i] - r[i];
            }
            double[] grad = times(gram, residual);
            double[][] hessian = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = gram[i][j];
                    for (int k = 0; k < n; k++) {
                        s += gram[i][k] * r[k] * r[k] * gram[k][j];
                    }
                    hessian[i][j] = s + (i == j ? 1e-12 * trace : 0);
                }
            }
            double[] minusGrad = grad.clone();
            for (int i = 0; i < n; i++) {
                minusGrad[i] = -minusGrad[i];
            }
            double[] step = Vectors.solve(hessian, minusGrad);
            if (step == null) {
                return null;
            }
            double slope = Vectors.dot(grad, step);
            if (!(slope < 0) || -slope < 1e-24) {
                break;
            }
            double t = 1;
            boolean accepted = false;
            while (t > 1e-12) {
                double[] candidate = beta.clone();
                Vectors.axpy(t, step, candidate);
                double[] gc = times(gram, candidate);
                if (Arrays.stream(gc).allMatch(v -> v > 0)) {
                    double next = objective(gram, candidate, gc);
                    if (next <= value + 0.25 * t * slope) {
                        beta = candidate;
                        gb = gc;
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
        double[] alpha = new double[n];
        for (int i = 0; i < n; i++) {
            alpha[i] = 1 / gb[i];
        }
        return Arrays.stream(alpha).allMatch(Double::isFinite) ? alpha : null;
    }

    private static double objective(double[][] gram, double[] beta, double[] gb) {
        double value = Vectors.dot(beta, gb) / 2;
        for (double v : gb) {
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
