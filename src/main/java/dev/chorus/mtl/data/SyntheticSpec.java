package dev.chorus.mtl.data;

import dev.chorus.mtl.sampling.SamplingSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A seeded synthetic multi-task problem whose right grouping is known: the tasks of a cluster share
 * latent structure, the conflicting tasks share none with anyone and only compete for capacity.
 *
 * @param rows        rows generated
 * @param features    numeric feature columns
 * @param noise       label noise, relative to the signal (0 = noiseless)
 * @param labelled    fraction of rows that carry a label, drawn per task (1 = every row labelled)
 * @param clusters    cluster name to the names of its tasks, in file order; the generator draws the
 *                    clusters in this map's iteration order, so pass an ordered map (a {@code Map.of}
 *                    with several entries iterates differently from one JVM to the next)
 * @param conflicting tasks that belong to no cluster
 * @param sampling    how training epochs pick rows
 * @param disjoint    whether every cluster and every conflicting task reads its own block of the features
 *                    (then a conflicting task shares nothing, not even its inputs, with any other task);
 *                    otherwise all of them read all features
 * @param latent      width of each cluster's (and conflicting task's) latent code, at least 1: the wider, the
 *                    more a task's labels must pin down, so the more a task alone gains from its cluster's
 *                    labels ({@link #DEFAULT_LATENT} unless a study sets {@code synthetic.latent})
 */
public record SyntheticSpec(int rows, int features, double noise, double labelled,
                            Map<String, List<String>> clusters, List<String> conflicting, SamplingSpec sampling,
                            boolean disjoint, int latent)
        implements DatasetSpec {
    /** The latent code's width when a study does not set one. */
    public static final int DEFAULT_LATENT = 4;

    public SyntheticSpec {
        if (latent < 1) {
            throw new IllegalArgumentException("synthetic.latent must be at least 1, was " + latent);
        }
        clusters = Collections.unmodifiableMap(new LinkedHashMap<>(clusters));
        conflicting = List.copyOf(conflicting);
        sampling = sampling == null ? SamplingSpec.ALL : sampling;
    }

    /** The default latent width ({@link #DEFAULT_LATENT}). */
    public SyntheticSpec(int rows, int features, double noise, double labelled,
                         Map<String, List<String>> clusters, List<String> conflicting, SamplingSpec sampling,
                         boolean disjoint) {
        this(rows, features, noise, labelled, clusters, conflicting, sampling, disjoint, DEFAULT_LATENT);
    }

    /** Every source reads all features. */
    public SyntheticSpec(int rows, int features, double noise, double labelled,
                         Map<String, List<String>> clusters, List<String> conflicting, SamplingSpec sampling) {
        this(rows, features, noise, labelled, clusters, conflicting, sampling, false, DEFAULT_LATENT);
    }

    /** Sampling {@code all}; every source reads all features. */
    public SyntheticSpec(int rows, int features, double noise, double labelled,
                         Map<String, List<String>> clusters, List<String> conflicting) {
        this(rows, features, noise, labelled, clusters, conflicting, SamplingSpec.ALL, false, DEFAULT_LATENT);
    }

    /** How many blocks the features are cut into: one per cluster and conflicting task when disjoint. */
    int sources() {
        return disjoint ? clusters.size() + conflicting.size() : 1;
    }
}
