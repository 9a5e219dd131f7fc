package dev.chorus.mtl.train.weighting;

import java.util.Arrays;

/**
 * IMTL, hybrid of IMTL-L and IMTL-G: Liu, Li, Kuang, Xue, Chen, Yang, Liao and Zhang, "Towards
 * Impartial Multi-task Learning", ICLR 2021, as LibMTL's {@code IMTL} writes it.
 *
 * <p>IMTL-L: each task has a learned log-scale {@code s_t} (starting at 0) and the scaled loss
 * {@code e^{s_t} L_t - s_t}; its derivative {@code e^{s_t} L_t - 1} drives {@code s_t} (by {@link Adam}
 * at the model's learning rate, once per step) toward {@code -log L_t}, so every scaled loss tends to 1.
 * IMTL-G: with {@code h_t = e^{s_t} g_t} the scaled tasks' gradients and {@code u_t = h_t / ||h_t||},
 * the weights {@code alpha} (summing to 1) are the closed form that makes the update
 * {@code d = sum_t alpha_t h_t} project equally on every {@code u_t}: with {@code D} the rows
 * {@code h_1 - h_t} and {@code U} the rows {@code u_1 - u_t} ({@code t >= 2}), {@code alpha_{2..} =
 * h_1 U^T (D U^T)^{-1}} and {@code alpha_1 = 1 - sum}. The shared part back-propagates {@code d}.
 *
 * <p>Selected by {@link dev.chorus.mtl.Weighting#IMTL} (YAML {@code weighting: [imtl]}). Deviations, stated: the task heads are trained with weight 1 as the {@link LossWeighting}
 * contract says, where LibMTL's heads see the scaled loss {@code e^{s_t} L_t}; {@code s_t} are stepped
 * by this class rather than the model's optimiser; a task whose gradient is zero takes no part in
 * IMTL-G (its unit vector is undefined), and a singular system gives equal alphas
 * (LibMTL's {@code torch.inverse} fails or returns garbage there); LibMTL's representation mode sums
 * {@code dL_t/dz} over the batch before the closed form, here the whole batch's flattened
 * {@code dL_t/dz} is used. On the same rows the weights agree with LibMTL's to rounding. When a task's
 * gradient is a positive combination of the others' (rank-deficient), equal projections force
 * {@code d = 0} (LibMTL's too).
 *
 * @implNote Absent tasks are left out and their {@code s_t} do not move. The state is sized by the
 *     first step.
 */
final class Imtl implements LossWeighting {

    private final double learningRate;
    private double[] logScale;
    private Adam adam;

    Imtl(double learningRate) {
        this.learningRate = learningRate;
        new Adam(0, learningRate, 0); // validates the learning rate now rather than at the first step
    }

    @Override
    public boolean needsGradients() {
        return true;
    }

    @Override
    public Combination combine(Step step) {
        int tasks = step.tasks();
        if (logScale == null) {
            logScale = new double[tasks];
            adam = new Adam(tasks, learningRate, 0);
        }
        Vectors.checkTasks(tasks, logScale.length);
        int dim = Vectors.dimension(step);
        boolean[] usable = step.present().clone();
        double[][] all = step.gradients();
        for (int t = 0; t < tasks; t++) {
            usable[t] = usable[t] && all != null && all[t] != null && Vectors.norm(all[t]) > 0;
        }
        int[] idx = Vectors.presentTasks(usable);
        double[][] scaled = Vectors.presentRows(step, idx);
        for (int k = 0; k < idx.length; k++) {
            scaled[k] = scaled[k].clone();
            double factor = Math.exp(logScale[idx[k]]);
            for (int i = 0; i < dim; i++) {
                scaled[k][i] *= factor;
            }
        }
        double[] d = Vectors.combine(alphas(scaled), scaled, dim);
        double[] gradient = new double[tasks];
        for (int t = 0; t < tasks; t++) {
            if (step.present()[t]) {
                gradient[t] = Math.exp(logScale[t]) * step.losses()[t] - 1;
            }
        }
        adam.step(logScale, gradient, step.present());
        return new Combination.SharedGradient(d);
    }

    /** IMTL-G's closed-form weights for the rows {@code h} (all non-zero). */
    static double[] alphas(double[][] h) {
        int n = h.length;
        double[] alpha = new double[n];
        if (n == 0) {
            return alpha;
        }
        if (n == 1) {
            alpha[0] = 1;
            return alpha;
        }
        double[][] u = new double[n][];
        for (int k = 0; k < n; k++) {
            u[k] = h[k].clone();
            double norm = Vectors.norm(h[k]);
            for (int i = 0; i < u[k].length; i++) {
                u[k][i] /= norm;
            }
        }
        int m = n - 1;
        double[][] dRows = new double[m][];
        double[][] uRows = new double[m][];
        for (int k = 0; k < m; k++) {
            dRows[k] = h[0].clone();
            Vectors.axpy(-1, h[k + 1], dRows[k]);
            uRows[k] = u[0].clone();
            Vectors.axpy(-1, u[k + 1], uRows[k]);
        }
        // x (D U^T) = h_1 U^T, i.e. (D U^T)^T x = U h_1
        double[][] a = new double[m][m];
        double[] b = new double[m];
        for (int i = 0; i < m; i++) {
            b[i] = Vectors.dot(uRows[i], h[0]);
            for (int j = 0; j < m; j++) {
                a[i][j] = Vectors.dot(dRows[j], uRows[i]);
            }
        }
        double[] x = Vectors.solve(a, b);
        if (x == null) {
            Arrays.fill(alpha, 1.0 / n);
            return alpha;
        }
        double rest = 0;
        for (int k = 0; k < m; k++) {
            alpha[k + 1] = x[k];
            rest += x[k];
        }
        alpha[0] = 1 - rest;
        return alpha;
    }

    /** The current log-scales {@code s_t}, a copy (null before the first step). */
    double[] logScales() {
        return logScale == null ? null : logScale.clone();
    }
}
