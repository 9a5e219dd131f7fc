package dev.chorus.mtl.train.weighting;

import dev.chorus.mtl.Weighting;

/** The built-in weightings, one per {@link Weighting} value. */
final class Weightings {

    private Weightings() {
    }

    static LossWeighting create(Weighting method, double[] fixed, double learningRate, long seed) {
        return switch (method) {
            case EQUAL -> new StaticWeights(null);
            case FIXED -> new StaticWeights(fixed.clone());
            default -> throw new UnsupportedOperationException(method.id() + " is not implemented yet");
        };
    }
}
