package dev.chorus.mtl.train.weighting;

/**
 * Equal weighting ({@code weights == null}: every present task counts once) and fixed weighting (the
 * candidate's searched per-task weights), the baselines every MTL paper compares against.
 */
final class StaticWeights implements LossWeighting {

    private final double[] weights;

    StaticWeights(double[] weights) {
        this.weights = weights;
    }

    @Override
    public Combination combine(Step step) {
        double[] out = new double[step.tasks()];
        for (int t = 0; t < out.length; t++) {
            out[t] = step.present()[t] ? (weights == null ? 1.0 : weights[t]) : 0.0;
        }
        return new Combination.Weights(out);
    }
}
