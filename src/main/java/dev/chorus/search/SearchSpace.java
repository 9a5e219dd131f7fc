package dev.chorus.search;

import dev.chorus.mtl.Architecture;
import dev.chorus.mtl.Weighting;
import java.util.List;
import java.util.Objects;

/**
 * The dimensions a study searches over. Immutable; built by the study's spec parser, which has
 * already checked every range, so the constructors only guard against programming errors.
 *
 * @param maxGroups    most models a candidate may train (1 = all tasks in one model; the task count
 *                     = any partition)
 * @param weight       range of each task's loss weight
 * @param weightings   the weighting strategies to choose from (at least one)
 * @param trunkWidths  the trunk widths to choose from
 * @param trunkDepth   the range of hidden layers in the trunk
 * @param learningRate the range of Adam's learning rate
 * @param epochs       the range of training epochs
 * @param batchSizes   the batch sizes to choose from
 * @param architectures the architectures to choose from
 * @param headDepth    the range of private hidden layers per task
 * @param experts      the range of MMoE experts (used when MMoE is chosen)
 */
public record SearchSpace(
        int maxGroups,
        RealRange weight,
        List<Weighting> weightings,
        List<Integer> trunkWidths,
        IntRange trunkDepth,
        RealRange learningRate,
        IntRange epochs,
        List<Integer> batchSizes,
        List<Architecture> architectures,
        IntRange headDepth,
        IntRange experts) {

    public SearchSpace {
        if (maxGroups < 1) {
            throw new IllegalArgumentException("maxGroups must be at least 1, was " + maxGroups);
        }
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(trunkDepth, "trunkDepth");
        Objects.requireNonNull(learningRate, "learningRate");
        Objects.requireNonNull(epochs, "epochs");
        weightings = nonEmpty(weightings, "weightings");
        trunkWidths = nonEmpty(trunkWidths, "trunkWidths");
        batchSizes = nonEmpty(batchSizes, "batchSizes");
        architectures = nonEmpty(architectures, "architectures");
        Objects.requireNonNull(headDepth, "headDepth");
        Objects.requireNonNull(experts, "experts");
        if (headDepth.min() < 0 || experts.min() < 1) {
            throw new IllegalArgumentException("head depth must be >= 0 and experts >= 1");
        }
    }

    /** A space of hard-sharing models without private head layers. */
    public SearchSpace(int maxGroups, RealRange weight, List<Weighting> weightings, List<Integer> trunkWidths,
                       IntRange trunkDepth, RealRange learningRate, IntRange epochs, List<Integer> batchSizes) {
        this(maxGroups, weight, weightings, trunkWidths, trunkDepth, learningRate, epochs, batchSizes,
                List.of(Architecture.HARD), new IntRange(0, 0), new IntRange(2, 2));
    }

    private static <T> List<T> nonEmpty(List<T> values, String what) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(what + " needs at least one value");
        }
        return List.copyOf(values);
    }

    /** An inclusive range of whole numbers. */
    public record IntRange(int min, int max) {
        public IntRange {
            if (min > max) {
                throw new IllegalArgumentException("min " + min + " is above max " + max);
            }
        }
    }

    /** An inclusive range of reals, sampled uniformly or, when {@code log}, log-uniformly. */
    public record RealRange(double min, double max, boolean log) {
        public RealRange {
            if (!(min <= max)) {
                throw new IllegalArgumentException("min " + min + " is above max " + max);
            }
            if (log && !(min > 0)) {
                throw new IllegalArgumentException("a log-scale range needs min > 0, was " + min);
            }
        }

        /** Maps {@code u} in [0, 1] onto the range, uniformly or log-uniformly. */
        public double at(double u) {
            return log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
        }
    }
}
