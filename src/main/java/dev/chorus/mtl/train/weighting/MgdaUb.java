package dev.chorus.mtl.train.weighting;

import java.util.Objects;

/**
 * MGDA-UB: Sener and Koltun, "Multi-Task Learning as Multi-Objective Optimization", NeurIPS 2018.
 *
 * <p>The multiple-gradient descent direction is the minimum-norm point of the convex hull of the
 * task gradients; MGDA-UB takes those gradients with respect to the shared representation z (the
 * paper's upper bound), which is exactly what {@link Step#gradients()} holds, so this is the paper's
 * method without deviation there. The task gradients are first divided by a normaliser ({@link
 * Normalization}; default {@link Normalization#LOSS_PLUS}, {@code L_t ||g_t||}, the choice of the
 * authors' experiment configurations; LibMTL's command-line default is {@code none}), the
 * {@link MinNormSolver} finds {@code alpha} in the simplex for the normalised gradients, and the shared
 * part back-propagates {@code sum_t alpha_t g_t} with the <em>raw</em> gradients, as the authors' code
 * (loss {@code sum_t alpha_t L_t}) and LibMTL's representation mode do. The alphas sum to 1 and are not
 * multiplied by the task count (neither the paper nor LibMTL does).
 *
 * <p>Differences from LibMTL, stated: LibMTL's representation mode sums the per-sample
 * {@code dL_t/dz} over the batch and gives the solver those sums (one row of the representation's size
 * per task); here a row is the whole batch's flattened {@code dL_t/dz}, so the Gram matrix is the sum of
 * the per-sample Gram matrices rather than the Gram matrix of the sums, and the weights differ in
 * general (the update is {@code sum_t alpha_t dL_t/dz} in both). The solver stops at an L1 change of
 * {@value MinNormSolver#STOP_CRIT}, not LibMTL's {@code 1e-5} (see {@link MinNormSolver}). In its
 * parameter-gradient mode LibMTL applies the weights to the normalised gradients; here, as in its
 * representation mode and the authors' code, to the raw ones.
 *
 * <p>Without normalisation the result is the min-norm point {@code d} itself, a common descent
 * direction: {@code d . g_t >= ||d||^2 >= 0} for every task.
 *
 * @implNote Absent tasks are left out of the hull. A normaliser that is zero or not finite (a zero
 *     loss or gradient) is replaced by 1. Stateless.
 */
final class MgdaUb implements LossWeighting {

    /** LibMTL's {@code mgda_gn} choices for dividing each task's gradient before the solver. */
    enum Normalization {
        NONE, L2, LOSS, LOSS_PLUS
    }

    private final Normalization normalization;

    MgdaUb(Normalization normalization) {
        this.normalization = Objects.requireNonNull(normalization, "normalization");
    }

    @Override
    public boolean needsGradients() {
        return true;
    }

    @Override
    public Combination combine(Step step) {
        int[] tasks = Vectors.presentTasks(step.present());
        double[][] raw = Vectors.presentRows(step, tasks);
        double[][] normalised = new double[raw.length][];
        for (int k = 0; k < raw.length; k++) {
            double gn = normaliser(step.losses()[tasks[k]], raw[k]);
            double scale = gn > 0 && Double.isFinite(gn) ? 1 / gn : 1;
            normalised[k] = raw[k].clone();
            for (int i = 0; i < normalised[k].length; i++) {
                normalised[k][i] *= scale;
            }
        }
        double[] alpha = MinNormSolver.solve(Vectors.gram(normalised));
        return new Combination.SharedGradient(Vectors.combine(alpha, raw, Vectors.dimension(step)));
    }

    private double normaliser(double loss, double[] gradient) {
        return switch (normalization) {
            case NONE -> 1;
            case L2 -> Vectors.norm(gradient);
            case LOSS -> loss;
            case LOSS_PLUS -> loss * Vectors.norm(gradient);
        };
    }
}
