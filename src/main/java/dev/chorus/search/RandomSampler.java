package dev.chorus.search;

import dev.chorus.mtl.Candidate;
import io.jenetics.util.RandomRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Proposes candidates uniformly over the search space (uniform genes of {@link CandidateCodec}),
 * skipping those already in the history. The baseline the evolutionary sampler must beat. Like it, it
 * first proposes the groupings of {@link Coverage} not tried yet (the anchors; every grouping when
 * there are at most {@code populationSize}), each with its other genes drawn uniformly.
 *
 * @implNote Stateless, immutable and thread-safe; the result is a pure function of
 *     {@code (seed, generation, count, history)} and does not depend on the history's order.
 */
final class RandomSampler implements Sampler {

    private final CandidateCodec codec;
    private final long seed;
    private final Coverage coverage;

    RandomSampler(CandidateCodec codec, long seed, int populationSize) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.seed = seed;
        this.coverage = new Coverage(codec.taskCount(), codec.maxGroups(), populationSize);
    }

    @Override
    public List<Candidate> sample(int generation, int count, List<Evaluated> history) {
        Draws.check(generation, count, history, codec.taskCount());
        Set<Candidate> taken = Draws.taken(history);
        Set<List<Integer>> tried = Draws.groupings(history);
        return RandomRegistry.with(Draws.random(seed, generation), r -> {
            List<Candidate> out = new ArrayList<>(count);
            Draws.fillGroupings(codec, coverage.order(List.of()), tried, taken, out, count);
            Draws.fillRandom(codec, taken, out, count);
            return List.copyOf(out);
        });
    }

    @Override
    public String toString() {
        return "RandomSampler[seed=" + seed + "]";
    }
}
