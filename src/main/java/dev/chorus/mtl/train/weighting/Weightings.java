package dev.chorus.mtl.train.weighting;

import dev.chorus.mtl.Weighting;
import java.util.Objects;

/**
 * The built-in weightings, one per {@link Weighting} value, each with its paper's defaults (see the
 * implementing class for the paper and the deviations).
 */
final class Weightings {

    private Weightings() {
    }

    static LossWeighting create(Weighting method, double[] fixed, double learningRate, long seed) {
        return switch (method) {
            case EQUAL -> new StaticWeights(null);
            case FIXED -> new StaticWeights(Objects.requireNonNull(fixed,
                    "fixed weighting needs the candidate's per-task weights").clone());
            case UNCERTAINTY -> new UncertaintyWeights(learningRate);
            case DWA -> new DynamicWeightAverage(DynamicWeightAverage.TEMPERATURE);
            case RLW -> new RandomLossWeights(seed);
            case GRADNORM -> new GradNormWeights(GradNormWeights.ALPHA, learningRate);
            case PCGRAD -> new PcGrad(seed);
            case MGDA_UB -> new MgdaUb(MgdaUb.Normalization.LOSS_PLUS);
            case CAGRAD -> new CaGrad(CaGrad.C, true);
            case FAMO -> new Famo(Famo.LOGIT_LEARNING_RATE, Famo.GAMMA);
            case IMTL -> new Imtl(learningRate);
            case ALIGNED_MTL -> new AlignedMtl();
            case NASH_MTL -> new NashMtl();
        };
    }
}
