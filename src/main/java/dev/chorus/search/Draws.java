package dev.chorus.search;

import dev.chorus.mtl.Candidate;
import io.jenetics.util.RandomRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * What both samplers share: the random generator of a {@code (seed, generation)} pair, argument
 * checks, and drawing fresh candidates, uniform or with a given grouping.
 *
 * @implNote Stateless and thread-safe.
 */
final class Draws {

    /** Consecutive draws that all hit a known candidate before the space is taken to be exhausted. */
    static final int MAX_MISSES = 2_000;

    private Draws() {
    }

    /**
     * A new generator whose sequence is a pure function of {@code (seed, generation)}: SplitMix64
     * ({@link SplittableRandom}), a fixed, published algorithm, rather than Jenetics' default, which a
     * system property or a library upgrade may change. (Upgrading Jenetics may still change how its
     * alterers consume the draws.)
     */
    static RandomGenerator random(long seed, int generation) {
        return new SplittableRandom(mix(mix(seed) + generation));
    }

    /** Checks the arguments of {@link Sampler#sample}. */
    static void check(int generation, int count, List<Evaluated> history, int taskCount) {
        if (generation < 0) {
            throw new IllegalArgumentException("generation must be at least 0, was " + generation);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be at least 0, was " + count);
        }
        Objects.requireNonNull(history, "history");
        for (Evaluated e : history) {
            if (e.candidate().groups().size() != taskCount) {
                throw new IllegalArgumentException("history holds a candidate for "
                        + e.candidate().groups().size() + " tasks, the sampler searches " + taskCount
                        + ": " + e.candidate());
            }
        }
    }

    /** The candidates of the history: none of them may be proposed again. */
    static Set<Candidate> taken(List<Evaluated> history) {
        Set<Candidate> taken = new HashSet<>();
        for (Evaluated e : history) {
            taken.add(e.candidate());
        }
        return taken;
    }

    /** The groupings of the history's candidates. */
    static Set<List<Integer>> groupings(List<Evaluated> history) {
        Set<List<Integer>> out = new HashSet<>();
        for (Evaluated e : history) {
            out.add(e.candidate().groups());
        }
        return out;
    }

    /**
     * Appends a candidate for each grouping in turn, until {@code out} holds {@code count}: the
     * grouping's labels (clamped to the codec's {@code [0, maxGroups - 1]}) with every other gene drawn
     * uniformly. A grouping already in {@code tried} (compared in canonical form) is skipped; each one
     * proposed is added to {@code tried} and its candidate to {@code taken}. Draws from
     * {@link RandomRegistry#random()}: call it in a scope.
     */
    static void fillGroupings(CandidateCodec codec, List<List<Integer>> groupings, Set<List<Integer>> tried,
                              Set<Candidate> taken, List<Candidate> out, int count) {
        int max = codec.maxGroups();
        for (List<Integer> grouping : groupings) {
            if (out.size() >= count) {
                return;
            }
            Candidate drawn = codec.decode(codec.encoding().newInstance());
            List<Integer> labels = grouping.stream().map(label -> Math.min(Math.max(label, 0), max - 1)).toList();
            Candidate c = new Candidate(labels, drawn.weights(), drawn.weighting(), drawn.settings(),
                    drawn.architecture(), drawn.headDepth(), drawn.experts());
            if (!tried.contains(c.groups()) && taken.add(c)) {
                tried.add(c.groups());
                out.add(c);
            }
        }
    }

    /**
     * Appends uniformly drawn candidates not in {@code taken} to {@code out} until it holds
     * {@code count}, adding each to {@code taken}; stops early after {@link #MAX_MISSES} draws in a
     * row that found nothing new. Draws from {@link RandomRegistry#random()}: call it in a scope.
     */
    static void fillRandom(CandidateCodec codec, Set<Candidate> taken, List<Candidate> out, int count) {
        int misses = 0;
        while (out.size() < count && misses < MAX_MISSES) {
            Candidate c = codec.decode(codec.encoding().newInstance());
            if (taken.add(c)) {
                out.add(c);
                misses = 0;
            } else {
                misses++;
            }
        }
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
