package dev.chorus.search;

import dev.chorus.mtl.Candidate;
import io.jenetics.util.RandomRegistry;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * What both samplers share: the random generator of a {@code (seed, generation)} pair, argument
 * checks, and drawing fresh candidates, uniform or with a given grouping, into a {@link Proposal}.
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
    static void check(int generation, int count) {
        if (generation < 0) {
            throw new IllegalArgumentException("generation must be at least 0, was " + generation);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be at least 0, was " + count);
        }
    }

    /** A grouping as a candidate of the codec holds it: labels clamped to {@code [0, maxGroups - 1]}, canonical. */
    static List<Integer> grouping(CandidateCodec codec, List<Integer> labels) {
        int max = codec.maxGroups();
        return Candidate.canonical(labels.stream().map(label -> Math.min(Math.max(label, 0), max - 1)).toList());
    }

    /**
     * Offers a candidate for each grouping in turn ({@link Proposal#offerGrouping}), until the proposal
     * is full: the grouping's labels ({@link #grouping}) with every other gene drawn uniformly. Draws
     * from {@link RandomRegistry#random()}: call it in a scope.
     */
    static void fillGroupings(CandidateCodec codec, List<List<Integer>> groupings, Proposal proposal) {
        for (List<Integer> grouping : groupings) {
            if (proposal.full()) {
                return;
            }
            Candidate drawn = codec.decode(codec.encoding().newInstance());
            proposal.offerGrouping(new Candidate(grouping(codec, grouping), drawn.weights(), drawn.weighting(),
                    drawn.settings(), drawn.architecture(), drawn.headDepth(), drawn.experts()));
        }
    }

    /**
     * Offers uniformly drawn candidates until the proposal is full; stops early after
     * {@link #MAX_MISSES} draws in a row that found nothing new. Draws from
     * {@link RandomRegistry#random()}: call it in a scope.
     */
    static void fillRandom(CandidateCodec codec, Proposal proposal) {
        int misses = 0;
        while (!proposal.full() && misses < MAX_MISSES) {
            if (proposal.offer(codec.decode(codec.encoding().newInstance()))) {
                misses = 0;
            } else {
                misses++;
            }
        }
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
