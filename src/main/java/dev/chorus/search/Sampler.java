package dev.chorus.search;

import dev.chorus.mtl.Candidate;
import java.util.List;

/**
 * Proposes the candidates of each generation, learning from the trials as they finish: the study's
 * search state, kept up to date by {@link #observe} rather than rebuilt from the whole history on
 * every proposal.
 *
 * @apiNote Implementations must be <em>deterministic</em>: the coordinator persists every trial and,
 *     after a crash, builds a new sampler, observes every stored trial and asks again, expecting the same
 *     candidates. So {@link #sample} must be a function of the sampler's seed, {@code generation},
 *     {@code count} and the set of trials observed (the order they were observed in must
 *     not matter for a generational study, which observes a whole generation before each proposal), and
 *     must not change what the sampler has observed: asked twice, it answers the same. A result never
 *     holds a candidate {@linkplain Candidate#equals equal} to an observed one, nor the same candidate
 *     twice; when the space is (nearly) exhausted it holds fewer than {@code count}. Generation 0 with
 *     nothing observed yields {@code count} candidates when the space holds as many. A trial observed
 *     a second time (the same candidate, generation, feasibility and objectives) is ignored.
 *
 * <p>Both built-ins lead every generation with the groupings not tried yet among: every task in one
 * model, every task in a model of its own (when the space allows that many models), and, when the
 * groupings of the space number at most the population size, every grouping; their other dimensions
 * are drawn uniformly. So generation 0 always holds the two extremes, and a small grouping space is
 * covered before any grouping is tried again with other settings.
 *
 * <p>What the built-ins keep does not grow with the study beyond the set of observed trials and tried
 * candidates (32 bytes per trial, {@code CandidateKeys}): NSGA-II keeps a bounded archive ({@code Archive}) of the trials its
 * population may still come from, and proposing costs the same at a thousand trials as at a million.
 *
 * @implNote The built-ins are thread-safe: {@link #observe} and {@link #sample} are synchronized on
 *     the sampler, so a proposal sees every trial observed before it and none observed during it. Their
 *     randomness is confined to the calling thread and never touches Jenetics' global
 *     {@link io.jenetics.util.RandomRegistry} setting.
 */
public interface Sampler {

    /**
     * Learns a finished trial (all objectives maximised).
     *
     * @throws IllegalArgumentException if its candidate has another number of tasks than the sampler
     *     searches, or (NSGA-II, at the next {@link #sample}) its number of objectives differs from the
     *     other feasible trials'
     */
    void observe(Evaluated trial);

    /**
     * Proposes up to {@code count} new candidates from the trials observed so far.
     *
     * @param generation the generation being proposed (at least 0)
     * @param count      how many candidates are wanted (at least 0)
     * @return new, distinct candidates, at most {@code count}; immutable
     * @throws IllegalArgumentException if {@code generation} or {@code count} is negative
     */
    List<Candidate> sample(int generation, int count);

    /**
     * NSGA-II (Deb et al. 2002) on the Jenetics encoding of candidates: elitist selection of the best
     * {@code populationSize} trials by constraint domination and crowding distance from a bounded
     * archive ({@code Archive}), binary tournaments, uniform crossover and mutation.
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
