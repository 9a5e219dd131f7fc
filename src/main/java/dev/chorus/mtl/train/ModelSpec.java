package dev.chorus.mtl.train;

import dev.chorus.mtl.Architecture;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.mtl.sampling.SamplingSpec;
import java.util.List;
import java.util.Objects;

/**
 * How one model of a group of tasks is built and trained. Immutable.
 *
 * @param weights      one loss weight per task of the model, in task order, used by
 *                     {@link Weighting#FIXED} (finite, at least 0, not all 0); may be null for every
 *                     other weighting
 * @param weighting    how the task losses are combined
 * @param settings     hidden width and shared depth, optimiser settings, epochs (the most: training
 *                     stops early on a validation plateau)
 * @param architecture how the tasks share parameters
 * @param headDepth    private hidden layers per task before its output layer (0 or more)
 * @param experts      experts of an {@link Architecture#MMOE} model (at least 1); ignored otherwise
 * @param sampling     how the training rows are cut into batches (all rows, or per-task batches for
 *                     tasks with very different label counts)
 * @param conv         for image features: the convolutional trunk in front of the shared layers; null
 *                     for tabular features
 * @param rawTargets   take regression losses on the raw labels instead of labels standardized with the
 *                     training split (tasks then keep their own loss scales; for benchmarks)
 */
public record ModelSpec(List<Double> weights, Weighting weighting, TrainSettings settings,
                        Architecture architecture, int headDepth, int experts, SamplingSpec sampling,
                        ConvInput conv, boolean rawTargets) {

    public ModelSpec {
        Objects.requireNonNull(weighting, "weighting");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(architecture, "architecture");
        if (headDepth < 0) {
            throw new IllegalArgumentException("head depth must be 0 or more, was " + headDepth);
        }
        if (architecture == Architecture.MMOE && experts < 1) {
            throw new IllegalArgumentException("an MMoE model needs at least 1 expert, was " + experts);
        }
        weights = weights == null ? null : List.copyOf(weights);
        sampling = sampling == null ? SamplingSpec.ALL : sampling;
        if (conv != null && architecture != Architecture.HARD) {
            throw new IllegalArgumentException("image features are trained with hard sharing behind a "
                    + "convolutional trunk; architecture " + architecture.id() + " needs tabular features");
        }
    }

    /** A model trained on every training row each epoch. */
    public ModelSpec(List<Double> weights, Weighting weighting, TrainSettings settings, Architecture architecture,
                     int headDepth, int experts) {
        this(weights, weighting, settings, architecture, headDepth, experts, SamplingSpec.ALL, null, false);
    }

    /** This spec taking regression losses on raw (unstandardized) labels. */
    public ModelSpec withRawTargets() {
        return new ModelSpec(weights, weighting, settings, architecture, headDepth, experts, sampling, conv, true);
    }

    /** This spec with another sampling of the training rows. */
    public ModelSpec withSampling(SamplingSpec newSampling) {
        return new ModelSpec(weights, weighting, settings, architecture, headDepth, experts, newSampling, conv, rawTargets);
    }

    /** This spec reading image features through {@code newConv} (null: tabular features). */
    public ModelSpec withConv(ConvInput newConv) {
        return new ModelSpec(weights, weighting, settings, architecture, headDepth, experts, sampling, newConv, rawTargets);
    }

    /** Equal weighting, hard sharing, no private layers: the single-task baseline's model. */
    public static ModelSpec plain(TrainSettings settings) {
        return new ModelSpec(null, Weighting.EQUAL, settings, Architecture.HARD, 0, 0);
    }

    /** The model {@code candidate} trains for the tasks {@code members} (study indices, in head order). */
    public static ModelSpec of(Candidate candidate, List<Integer> members) {
        return new ModelSpec(members.stream().map(candidate.weights()::get).toList(), candidate.weighting(),
                candidate.settings(), candidate.architecture(), candidate.headDepth(), candidate.experts());
    }

    /** This spec with another architecture, head depth and expert count. */
    public ModelSpec withArchitecture(Architecture newArchitecture, int newHeadDepth, int newExperts) {
        return new ModelSpec(weights, weighting, settings, newArchitecture, newHeadDepth, newExperts, sampling,
                conv, rawTargets);
    }

    /** This spec with another weighting and weights. */
    public ModelSpec withWeighting(Weighting newWeighting, List<Double> newWeights) {
        return new ModelSpec(newWeights, newWeighting, settings, architecture, headDepth, experts, sampling, conv, rawTargets);
    }
}
