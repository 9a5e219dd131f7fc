package dev.chorus.mtl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * One point of the search space: which tasks share a model, how their losses are weighted and how
 * every model is trained. Immutable; equal candidates describe the same trials.
 *
 * <p>Canonical form: a dimension that the other choices leave unused holds one fixed value, so two
 * candidates that train the same models are equal (and hash alike) whatever values they were built
 * with: the loss weights are all 1.0 unless the weighting is {@link Weighting#FIXED} (the weights
 * training uses for the other weightings), and the experts are 0 unless the architecture is
 * {@link Architecture#MMOE}. The canonical constructor applies this form, so candidates read from
 * JSON (stored trials, requests) are canonical too.
 *
 * @param groups    for each task of the study (in study order), the index of its model; always in
 *                  canonical form (first appearances numbered 0, 1, 2, ...), so that two labelings of
 *                  the same partition are equal
 * @param weights   for each task, its loss weight; used by {@link Weighting#FIXED} only, so all 1.0
 *                  under the other weightings
 * @param weighting how losses are combined within a model
 * @param settings  trunk shape and optimiser settings shared by every model of the candidate
 * @param architecture how the tasks of a model share parameters (null reads as {@link Architecture#HARD},
 *                  as in trials stored before architectures were searched)
 * @param headDepth private hidden layers per task between the shared part and the output layer
 * @param experts   experts of an {@link Architecture#MMOE} model; 0 for the other architectures
 */
public record Candidate(List<Integer> groups, List<Double> weights, Weighting weighting, TrainSettings settings,
                        Architecture architecture, int headDepth, int experts) {

    public Candidate {
        Objects.requireNonNull(weighting, "weighting");
        Objects.requireNonNull(settings, "settings");
        architecture = architecture == null ? Architecture.HARD : architecture;
        if (headDepth < 0) {
            throw new IllegalArgumentException("head depth must be 0 or more, was " + headDepth);
        }
        if (architecture == Architecture.MMOE && experts < 1) {
            throw new IllegalArgumentException("an MMoE model needs at least 1 expert, was " + experts);
        }
        experts = architecture == Architecture.MMOE ? experts : 0;
        if (groups.isEmpty() || groups.size() != weights.size()) {
            throw new IllegalArgumentException("groups and weights need one entry per task: "
                    + groups.size() + " vs " + weights.size());
        }
        groups = canonical(groups);
        weights = weighting == Weighting.FIXED ? List.copyOf(weights) : Collections.nCopies(weights.size(), 1.0);
    }

    /** A hard-sharing candidate with no private head layers. */
    public Candidate(List<Integer> groups, List<Double> weights, Weighting weighting, TrainSettings settings) {
        this(groups, weights, weighting, settings, Architecture.HARD, 0, 0);
    }

    /**
     * This candidate's separate twin: every task in a model of its own, with the same settings and
     * architecture (the weighting of a one-task model is moot, so {@link Weighting#EQUAL}). What a
     * candidate gains over its twin it gains by sharing, not by its settings.
     */
    public Candidate separated() {
        return new Candidate(IntStream.range(0, groups.size()).boxed().toList(), Collections.nCopies(groups.size(), 1.0),
                Weighting.EQUAL, settings, architecture, headDepth, experts);
    }

    /**
     * This candidate with other training settings: the same grouping, weighting, weights and architecture.
     * With the settings its tasks' tuned single-task references found best, it is the candidate's tuned twin:
     * its sharing tried with settings tuned as hard as what it is compared with.
     */
    public Candidate withSettings(TrainSettings other) {
        return new Candidate(groups, weights, weighting, other, architecture, headDepth, experts);
    }

    /** Whether some model of this candidate trains more than one task. */
    public boolean shares() {
        return groupCount() < groups.size();
    }

    /** Number of models this candidate trains. */
    public int groupCount() {
        return groups.stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    }

    /** Task indices (study order) of each model, model by model. */
    public List<List<Integer>> members() {
        List<List<Integer>> out = new ArrayList<>();
        for (int g = 0; g < groupCount(); g++) {
            out.add(new ArrayList<>());
        }
        for (int t = 0; t < groups.size(); t++) {
            out.get(groups.get(t)).add(t);
        }
        return out.stream().map(List::copyOf).toList();
    }

    /** Relabels a partition so groups are numbered in order of first appearance, as {@link #groups} are. */
    public static List<Integer> canonical(List<Integer> labels) {
        Map<Integer, Integer> map = new HashMap<>();
        List<Integer> out = new ArrayList<>(labels.size());
        for (Integer label : labels) {
            out.add(map.computeIfAbsent(Objects.requireNonNull(label, "group label"), k -> map.size()));
        }
        return List.copyOf(out);
    }
}
