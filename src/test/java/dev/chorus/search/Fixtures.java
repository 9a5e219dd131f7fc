package dev.chorus.search;

import dev.chorus.mtl.Architecture;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.search.SearchSpace.IntRange;
import dev.chorus.search.SearchSpace.RealRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Spaces, candidates and trials shared by the search tests. */
final class Fixtures {

    static final int TASKS = 6;

    private Fixtures() {
    }

    /** A space like a real study's: every kind of dimension, a log-scale learning rate. */
    static SearchSpace space() {
        return space(4);
    }

    static SearchSpace space(int maxGroups) {
        return new SearchSpace(maxGroups, new RealRange(0.1, 4.0, false), List.of(Weighting.EQUAL, Weighting.FIXED),
                List.of(32, 64, 128), new IntRange(1, 4), new RealRange(1e-4, 1e-1, true), new IntRange(5, 50),
                List.of(16, 32, 64), List.of(Architecture.HARD, Architecture.MMOE, Architecture.CROSS_STITCH),
                new IntRange(0, 2), new IntRange(2, 4));
    }

    /** A space of exactly {@code 2 * weightings} candidates for two tasks: every range is one point. */
    static SearchSpace tinySpace(List<Weighting> weightings) {
        return new SearchSpace(2, new RealRange(1.0, 1.0, false), weightings, List.of(8), new IntRange(1, 1),
                new RealRange(0.01, 0.01, true), new IntRange(3, 3), List.of(4));
    }

    static Candidate candidate(List<Integer> groups, double weight) {
        return new Candidate(groups, Collections.nCopies(groups.size(), weight), Weighting.FIXED,
                new TrainSettings(64, 2, 0.01, 10, 32));
    }

    /**
     * Has the sampler observe every trial of the history (it ignores those it has seen) and proposes:
     * the former contract, {@code sample(generation, count, history)}, for a sampler fed one history.
     */
    static List<Candidate> propose(Sampler sampler, int generation, int count, List<Evaluated> history) {
        history.forEach(sampler::observe);
        return sampler.sample(generation, count);
    }

    /** Trials for the given candidates, with made-up but distinct objectives, all feasible. */
    static List<Evaluated> evaluate(List<Candidate> candidates, int generation) {
        List<Evaluated> out = new ArrayList<>();
        for (Candidate c : candidates) {
            double w = c.weights().stream().mapToDouble(Double::doubleValue).sum();
            out.add(Evaluated.of(c, generation, w, -c.groupCount(), c.settings().learningRate()));
        }
        return out;
    }
}
