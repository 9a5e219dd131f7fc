package dev.chorus.search;

import dev.chorus.mtl.Candidate;
import io.jenetics.util.RandomRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Proposes candidates uniformly over the search space (uniform genes of {@link CandidateCodec}),
 * skipping those already in the history. The baseline the evolutionary sampler must beat.
 *
 * @implNote Stateless, immutable and thread-safe; the result is a pure function of
 *     {@code (seed, generation, count, history)} and does not depend on the history's order.
 */
final class RandomSampler implements Sampler {

    private final CandidateCodec codec;
    private final long seed;

    RandomSampler(CandidateCodec codec, long seed) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.seed = seed;
    }

    @Override
    public List<Candidate> sample(int generation, int count, List<Evaluated> history) {
        Draws.check(generation, count, history, codec.taskCount());
        Set<Candidate> taken = Draws.taken(history);
        return RandomRegistry.with(Draws.random(seed, generation), r -> {
            List<Candidate> out = new ArrayList<>(count);
            Draws.fillRandom(codec, taken, out, count);
            return List.copyOf(out);
        });
    }

    @Override
    public String toString() {
        return "RandomSampler[seed=" + seed + "]";
    }
}
