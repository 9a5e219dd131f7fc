package dev.chorus.mtl.train.weighting;

import java.util.SplittableRandom;

/**
 * PCGrad, "gradient surgery": Yu, Kumar, Gupta, Levine, Hausman and Finn, "Gradient Surgery for
 * Multi-Task Learning", NeurIPS 2020 (Algorithm 1).
 *
 * <p>For each task {@code i}, its gradient {@code g_i^PC} starts as {@code g_i}; the other tasks
 * {@code j} are visited in a fresh random order, and whenever {@code g_i^PC . g_j < 0} the conflicting
 * component is removed, {@code g_i^PC -= (g_i^PC . g_j / ||g_j||^2) g_j} (projection onto the normal
 * plane of the original {@code g_j}). The update is {@code sum_i g_i^PC}: with no conflict, the plain
 * sum of the gradients, as equal weighting gives.
 *
 * <p>Deviation, stated: the paper and LibMTL operate on the gradients of all shared parameters
 * (LibMTL refuses the representation mode for PCGrad); here they are the gradients with respect to the
 * shared representation z, so the surgery acts on {@code dL_t/dz} and the shared part back-propagates
 * the result. As in the paper, task {@code i} is never projected against itself (the authors' and
 * LibMTL's code also visit {@code j = i}, which only acts in the rare case {@code g_i^PC . g_i < 0}).
 * A zero gradient {@code g_j} is skipped, and others are divided by {@code ||g_j||^2}, not LibMTL's
 * {@code ||g_j||^2 + 1e-8} (a relative difference of about {@code 1e-8 / ||g_j||^2}). The orders are
 * drawn from this class's own generator, not Python's {@code random.shuffle}.
 *
 * @implNote The orders come from a {@link SplittableRandom} seeded by the seed; one permutation of
 *     the present tasks is drawn per present task and step. Absent tasks are left out entirely.
 */
final class PcGrad implements LossWeighting {

    private final SplittableRandom random;

    PcGrad(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public boolean needsGradients() {
        return true;
    }

    @Override
    public Combination combine(Step step) {
        int[] tasks = Vectors.presentTasks(step.present());
        double[][] grads = Vectors.presentRows(step, tasks);
        int[][] orders = new int[grads.length][];
        for (int i = 0; i < orders.length; i++) {
            orders[i] = permutation(grads.length, random);
        }
        double[] sum = grads.length == 0 ? new double[Vectors.dimension(step)] : surgery(grads, orders);
        return new Combination.SharedGradient(sum);
    }

    /**
     * The surgery on the rows {@code grads} (at least one), task {@code i} visiting the others in the
     * order {@code orders[i]} (entries equal to {@code i} are skipped): {@code sum_i g_i^PC}.
     */
    static double[] surgery(double[][] grads, int[][] orders) {
        int n = grads.length;
        double[] sum = new double[grads[0].length];
        double[] squaredNorm = new double[n];
        for (int k = 0; k < n; k++) {
            squaredNorm[k] = Vectors.dot(grads[k], grads[k]);
        }
        for (int i = 0; i < n; i++) {
            double[] pc = grads[i].clone();
            for (int j : orders[i]) {
                if (j == i || squaredNorm[j] == 0) {
                    continue;
                }
                double conflict = Vectors.dot(pc, grads[j]);
                if (conflict < 0) {
                    Vectors.axpy(-conflict / squaredNorm[j], grads[j], pc);
                }
            }
            Vectors.axpy(1, pc, sum);
        }
        return sum;
    }

    /** A Fisher–Yates permutation of {@code 0..n-1} drawn from {@code random}; {@code Replay} draws the same. */
    static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        for (int k = n - 1; k > 0; k--) {
            int swap = random.nextInt(k + 1);
            int tmp = order[k];
            order[k] = order[swap];
            order[swap] = tmp;
        }
        return order;
    }
}
