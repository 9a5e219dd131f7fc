package dev.chorus.mtl.train.weighting;

/**
 * Adam (Kingma and Ba, ICLR 2015) over a vector of parameters that a weighting learns itself, with
 * one step count per coordinate so that a coordinate left out of a step (an absent task) keeps its
 * moments and bias correction exactly as they were.
 *
 * <p>Weight decay is the coupled L2 form of {@code torch.optim.Adam(weight_decay=...)}: {@code
 * decay * param} is added to the gradient before the moments, as FAMO's reference code does.
 *
 * @implNote Mutable, single-threaded, owned by one weighting instance.
 */
final class Adam {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final double learningRate;
    private final double weightDecay;
    private final double[] m;
    private final double[] v;
    private final long[] steps;

    Adam(int size, double learningRate, double weightDecay) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, was " + learningRate);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight decay must be >= 0, was " + weightDecay);
        }
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
        this.m = new double[size];
        this.v = new double[size];
        this.steps = new long[size];
    }

    /**
     * Descends {@code params} along {@code gradient} in place, touching only the coordinates where
     * {@code active} is true (all of them when {@code active} is null).
     */
    void step(double[] params, double[] gradient, boolean[] active) {
        for (int i = 0; i < params.length; i++) {
            if (active != null && !active[i] || !Double.isFinite(gradient[i])) {
                continue;
            }
            double g = gradient[i] + weightDecay * params[i];
            steps[i]++;
            m[i] = BETA1 * m[i] + (1 - BETA1) * g;
            v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
            double mHat = m[i] / (1 - Math.pow(BETA1, steps[i]));
            double vHat = v[i] / (1 - Math.pow(BETA2, steps[i]));
            params[i] -= learningRate * mHat / (Math.sqrt(vHat) + EPS);
        }
    }
}
