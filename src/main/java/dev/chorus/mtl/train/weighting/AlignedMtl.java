package dev.chorus.mtl.train.weighting;

import java.util.Arrays;

/**
 * Aligned-MTL: Senushkin, Patakin, Kuznetsov and Konushin, "Independent Component Alignment for
 * Multi-Task Learning", CVPR 2023, as LibMTL's {@code Aligned_MTL} carries the authors' code.
 *
 * <p>With {@code G} the matrix of task gradients (one row per task) and {@code M = G G^T = V Lambda
 * V^T} its eigendecomposition, keeping the eigenvalues above {@code max(lambda) n eps} (the numerical
 * rank), the aligning matrix is {@code B = sqrt(lambda_min) V Lambda^{-1/2} V^T}: the rows of
 * {@code B G} are orthogonal with equal norms {@code sqrt(lambda_min)}, so no task dominates and none
 * conflicts. The update is their sum, {@code sum_t alpha_t g_t} with {@code alpha = 1^T B}, returned as
 * a {@link Combination.SharedGradient} on the shared representation (LibMTL's representation mode).
 *
 * <p>Selected by {@link dev.chorus.mtl.Weighting#ALIGNED_MTL} (YAML {@code weighting: [aligned-mtl]}). Deviation, stated: the eigendecomposition is cyclic Jacobi rather than LAPACK's, and the
 * float32 machine epsilon of the rank tolerance is kept as in the code; LibMTL's representation mode
 * sums {@code dL_t/dz} over the batch before the Gram matrix, here the whole batch's flattened
 * {@code dL_t/dz} is used. On the same rows the weights agree with LibMTL's to rounding.
 *
 * @implNote Absent tasks are left out. Stateless.
 */
final class AlignedMtl implements LossWeighting {

    /** torch.finfo(float32).eps, as in the authors' rank tolerance. */
    private static final double EPS = Math.ulp(1.0f);

    @Override
    public boolean needsGradients() {
        return true;
    }

    @Override
    public Combination combine(Step step) {
        int[] tasks = Vectors.presentTasks(step.present());
        double[][] grads = Vectors.presentRows(step, tasks);
        double[][] b = aligning(Vectors.gram(grads));
        double[] alpha = new double[grads.length];
        for (int i = 0; i < b.length; i++) {
            for (int j = 0; j < b.length; j++) {
                alpha[j] += b[i][j];
            }
        }
        return new Combination.SharedGradient(Vectors.combine(alpha, grads, Vectors.dimension(step)));
    }

    /** The aligning matrix B for the Gram matrix {@code m} (all zeros when {@code m} is). */
    static double[][] aligning(double[][] m) {
        int n = m.length;
        double[][] vectors = new double[n][n];
        double[] values = Jacobi.eigen(m, vectors);
        double max = 0;
        for (double v : values) {
            max = Math.max(max, v);
        }
        double tol = max * n * EPS;
        double min = Double.POSITIVE_INFINITY;
        for (double v : values) {
            if (v > tol) {
                min = Math.min(min, v);
            }
        }
        double[][] b = new double[n][n];
        for (int k = 0; k < n; k++) {
            if (!(values[k] > tol)) {
                continue;
            }
            double scale = Math.sqrt(min / values[k]);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    b[i][j] += scale * vectors[i][k] * vectors[j][k];
                }
            }
        }
        return b;
    }

    /** Cyclic Jacobi eigendecomposition of a small symmetric matrix. */
    static final class Jacobi {

        private Jacobi() {
        }

        /** The eigenvalues of {@code a}; column k of {@code vectors} receives the k-th eigenvector. */
        static double[] eigen(double[][] a, double[][] vectors) {
            int n = a.length;
            double[][] s = new double[n][];
            for (int i = 0; i < n; i++) {
                s[i] = a[i].clone();
                Arrays.fill(vectors[i], 0);
                vectors[i][i] = 1;
            }
            for (int sweep = 0; sweep < 100; sweep++) {
                double off = 0;
                double total = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        total += s[i][j] * s[i][j];
                        off += i != j ? s[i][j] * s[i][j] : 0;
                    }
                }
                if (off <= 1e-30 * total) {
                    break;
                }
                for (int p = 0; p < n; p++) {
                    for (int q = p + 1; q < n; q++) {
                        if (s[p][q] != 0) {
                            rotate(s, vectors, p, q);
                        }
                    }
                }
            }
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = s[i][i];
            }
            return values;
        }

        private static void rotate(double[][] s, double[][] v, int p, int q) {
            double theta = (s[q][q] - s[p][p]) / (2 * s[p][q]);
            double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
            if (theta == 0) {
                t = 1;
            }
            double c = 1 / Math.sqrt(t * t + 1);
            double sn = t * c;
            int n = s.length;
            for (int k = 0; k < n; k++) {
                double skp = s[k][p];
                double skq = s[k][q];
                s[k][p] = c * skp - sn * skq;
                s[k][q] = sn * skp + c * skq;
            }
            for (int k = 0; k < n; k++) {
                double spk = s[p][k];
                double sqk = s[q][k];
                s[p][k] = c * spk - sn * sqk;
                s[q][k] = sn * spk + c * sqk;
            }
            for (int k = 0; k < n; k++) {
                double vkp = v[k][p];
                double vkq = v[k][q];
                v[k][p] = c * vkp - sn * vkq;
                v[k][q] = sn * vkp + c * vkq;
            }
        }
    }
}
