package dev.chorus.mtl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One point of the search space: which tasks share a model, how their losses are weighted and how
 * every model is trained. Immutable; equal candidates describe the same trials.
 *
 * @param groups    for each task of the study (in study order), the index of its model; always in
 *                  canonical form (first appearances numbered 0, 1, 2, ...), so that two labelings of
 *                  the same partition are equal
 * @param weights   for each task, its loss weight (used by {@link Weighting#FIXED})
 * @param weighting how losses are combined within a model
 * @param settings  trunk shape and optimiser settings shared by every model of the candidate
 */
public record Candidate(List<Integer> groups, List<Double> weights, Weighting weighting, TrainSettings settings) {

    public Candidate {
        Objects.requireNonNull(weighting, "weighting");
        Objects.requireNonNull(settings, "settings");
        if (groups.isEmpty() || groups.size() != weights.size()) {
            throw new IllegalArgumentException("groups and weights need one entry per task: "
                    + groups.size() + " vs " + weights.size());
        }
        groups = canonical(groups);
        weights = List.copyOf(weights);
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

    /** Relabels a partition so groups are numbered in order of first appearance. */
    static List<Integer> canonical(List<Integer> labels) {
        Map<Integer, Integer> map = new HashMap<>();
        List<Integer> out = new ArrayList<>(labels.size());
        for (Integer label : labels) {
            out.add(map.computeIfAbsent(Objects.requireNonNull(label, "group label"), k -> map.size()));
        }
        return List.copyOf(out);
    }
}
