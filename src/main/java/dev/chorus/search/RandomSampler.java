package dev.chorus.search;

import dev.chorus.mtl.Candidate;
import io.jenetics.util.RandomRegistry;
import java.util.List;
import java.util.Objects;

/**
 * Proposes candidates uniformly over the search space (uniform genes of {@link CandidateCodec}),
 * skipping those already in the history. The baseline the evolutionary sampler must beat. Like it, it
 * first proposes the groupings of {@link Coverage} not tried yet (the anchors; every grouping when
 * there are at most {@code populationSize}), each with its other genes drawn uniformly.
 *
 * @implNote Thread-safe ({@link #observe} and {@link #sample} are synchronized); keeps only the tried
 *     candidates ({@link Seen}), so the result is a function of {@code (seed, generation, count, the set
 *     of observed candidates)}.
 */
final class RandomSampler implements Sampler {

    private final CandidateCodec codec;
    private final long seed;
    private final Coverage coverage;
    private final Seen seen;

    RandomSampler(CandidateCodec codec, long seed, int populationSize) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.seed = seed;
        this.coverage = new Coverage(codec.taskCount(), codec.maxGroups(), populationSize);
        this.seen = Seen.watching(codec, coverage.order(List.of()));
    }

    @Override
    public synchronized void observe(Evaluated trial) {
        seen.add(trial);
    }

    @Override
    public synchronized List<Candidate> sample(int generation, int count) {
        Draws.check(generation, count);
        return RandomRegistry.with(Draws.random(seed, generation), r -> {
            Proposal proposal = new Proposal(seen, count);
            Draws.fillGroupings(codec, coverage.order(List.of()), proposal);
            Draws.fillRandom(codec, proposal);
            return proposal.candidates();
        });
    }

    @Override
    public String toString() {
        return "RandomSampler[seed=" + seed + "]";
    }
}
