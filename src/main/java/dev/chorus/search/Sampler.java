package dev.chorus.search;

import dev.chorus.mtl.Candidate;
import java.util.List;

/**
 * Proposes the candidates of one generation from the trials finished so far.
 *
 * @apiNote Implementations must be <em>stateless and deterministic</em>: the coordinator persists
 *     every trial and, after a crash, calls {@code sample} again with the same arguments, expecting
 *     the same candidates. So the result must be a pure function of the sampler's seed,
 *     {@code generation}, {@code count} and {@code history} taken as a multiset (its order must not
 *     matter). A result never holds a candidate {@linkplain Candidate#equals equal} to one in the
 *     history, nor the same candidate twice; when the space is (nearly) exhausted it holds fewer than
 *     {@code count}. Generation 0 with an empty history yields {@code count} candidates when the
 *     space holds as many.
 *
 * <p>Both built-ins lead every generation with the groupings not tried yet among: every task in one
 * model, every task in a model of its own (when the space allows that many models), and, when the
 * groupings of the space number at most the population size, every grouping; their other dimensions
 * are drawn uniformly. So generation 0 always holds the two extremes, and a small grouping space is
 * covered before any grouping is tried again with other settings.
 *
 * @implNote The built-ins are immutable and thread-safe; their randomness is confined to the calling
 *     thread and never touches Jenetics' global {@link io.jenetics.util.RandomRegistry} setting.
 */
public interface Sampler {

    /**
     * Proposes up to {@code count} new candidates.
     *
     * @param generation the generation being proposed (at least 0)
     * @param count      how many candidates are wanted (at least 0)
     * @param history    every finished trial of the study, in any order; all objectives maximised
     * @return new, distinct candidates, at most {@code count}; immutable
     * @throws IllegalArgumentException if {@code generation} or {@code count} is negative, or a
     *     history candidate has another number of tasks than the sampler searches
     */
    List<Candidate> sample(int generation, int count, List<Evaluated> history);

    /**
     * NSGA-II (Deb et al. 2002) on the Jenetics encoding of candidates: elitist selection of the best
     * {@code populationSize} trials of the history by constraint domination and crowding distance,
     * binary tournaments, uniform crossover and mutation.
     *
     * @param space          what is searched
     * @param taskCount      the study's number of tasks
     * @param seed           seeds every draw, together with the generation
     * @param populationSize the number of trials that parent a generation (at least 1); usually the
     *                       generation size; every grouping is tried first when there are at most
     *                       this many
     */
    static Sampler nsga2(SearchSpace space, int taskCount, long seed, int populationSize) {
        return new Nsga2Sampler(new CandidateCodec(space, taskCount), seed, populationSize);
    }

    /**
     * As {@link #nsga2(SearchSpace, int, long, int)}, warm-started: after its first groupings (all tasks
     * in one model, each task alone), generation 0 gives up to half of its candidates
     * ({@code ceil(count / 2)}) the task groupings of {@code seedGroupings}, in order, with their other
     * genes drawn as for a uniform candidate; the rest are as without a warm start. A grouping with more
     * than {@code space.maxGroups()} groups has its extra labels merged into the last allowed group.
     *
     * @param seedGroupings per-task group labels (one per task each), best first; empty for none
     */
    static Sampler nsga2(SearchSpace space, int taskCount, long seed, int populationSize,
                         List<List<Integer>> seedGroupings) {
        return new Nsga2Sampler(new CandidateCodec(space, taskCount), seed, populationSize, seedGroupings);
    }

    /**
     * Uniform random candidates over the space, the baseline for the evolutionary search.
     *
     * @param space          what is searched
     * @param taskCount      the study's number of tasks
     * @param seed           seeds every draw, together with the generation
     * @param populationSize the size of a generation (at least 1): every grouping is tried first when
     *                       there are at most this many
     */
    static Sampler random(SearchSpace space, int taskCount, long seed, int populationSize) {
        return new RandomSampler(new CandidateCodec(space, taskCount), seed, populationSize);
    }
}
