package dev.chorus.mtl.train.weighting;

import java.util.Arrays;

/** Small dense linear algebra over {@code double[]}, and the step checks, shared by the weightings. */
final class Vectors {

    private Vectors() {
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** {@code y += a * x} in place. */
    static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += a * x[i];
        }
    }

    /** The indices of the present tasks, in task order. */
    static int[] presentTasks(boolean[] present) {
        int n = 0;
        for (boolean p : present) {
            n += p ? 1 : 0;
        }
        int[] out = new int[n];
        for (int t = 0, k = 0; t < present.length; t++) {
            if (present[t]) {
                out[k++] = t;
            }
        }
        return out;
    }

    /** The present tasks' gradient rows, checked to be one row of one common length per task. */
    static double[][] presentRows(LossWeighting.Step step, int[] tasks) {
        double[][] all = step.gradients();
        if (all == null) {
            throw new IllegalArgumentException("this weighting needs gradients: fill Step.gradients()");
        }
        int dim = dimension(step);
        double[][] rows = new double[tasks.length][];
        for (int k = 0; k < tasks.length; k++) {
            double[] row = all[tasks[k]];
            if (row == null || row.length != dim) {
                throw new IllegalArgumentException("gradient row " + tasks[k] + " must have length " + dim);
            }
            rows[k] = row;
        }
        return rows;
    }

    /** The length of this step's gradient rows: that of its first non-null row, else 0. */
    static int dimension(LossWeighting.Step step) {
        double[][] all = step.gradients();
        if (all != null) {
            for (double[] row : all) {
                if (row != null) {
                    return row.length;
                }
            }
        }
        return 0;
    }

    /** The Gram matrix {@code G[i][j] = rows[i] . rows[j]}. */
    static double[][] gram(double[][] rows) {
        int n = rows.length;
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                g[i][j] = dot(rows[i], rows[j]);
                g[j][i] = g[i][j];
            }
        }
        return g;
    }

    /** {@code sum_k coefficients[k] * rows[k]}, a vector of length {@code dim}. */
    static double[] combine(double[] coefficients, double[][] rows, int dim) {
        double[] out = new double[dim];
        for (int k = 0; k < rows.length; k++) {
            axpy(coefficients[k], rows[k], out);
        }
        return out;
    }

    /** Euclidean projection of {@code y} onto the probability simplex (sort-based, Duchi et al. 2008). */
    static double[] projectToSimplex(double[] y) {
        int n = y.length;
        double[] sorted = y.clone();
        Arrays.sort(sorted);
        double sum = 0;
        double theta = 0;
        for (int i = n - 1; i >= 0; i--) {
            sum += sorted[i];
            double candidate = (sum - 1) / (n - i);
            if (i == 0 || sorted[i - 1] <= candidate) {
                theta = candidate;
                break;
            }
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.max(y[i] - theta, 0);
        }
        return out;
    }

    /**
     * The solution x of {@code a x = b} by Gaussian elimination with partial pivoting, overwriting
     * {@code a} and {@code b}; null when {@code a} is numerically singular.
     */
    static double[] solve(double[][] a, double[] b) {
        int m = b.length;
        double scale = 0;
        for (double[] row : a) {
            for (double v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int col = 0; col < m; col++) {
            int pivot = col;
            for (int r = col + 1; r < m; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            if (!(Math.abs(a[pivot][col]) > 1e-12 * scale)) {
                return null;
            }
            double[] tmpRow = a[col];
            a[col] = a[pivot];
            a[pivot] = tmpRow;
            double tmp = b[col];
            b[col] = b[pivot];
            b[pivot] = tmp;
            for (int r = col + 1; r < m; r++) {
                double f = a[r][col] / a[col][col];
                for (int c = col; c < m; c++) {
                    a[r][c] -= f * a[col][c];
                }
                b[r] -= f * b[col];
            }
        }
        double[] x = new double[m];
        for (int r = m - 1; r >= 0; r--) {
            double s = b[r];
            for (int c = r + 1; c < m; c++) {
                s -= a[r][c] * x[c];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }

    /** Rejects a step whose task count differs from the first step's, which sized the state. */
    static void checkTasks(int given, int expected) {
        if (given != expected) {
            throw new IllegalArgumentException("step has " + given + " tasks but the first step had " + expected
                    + "; make a new weighting per model");
        }
    }
}
