package dev.chorus.search;

import dev.chorus.mtl.Candidate;
import io.jenetics.Alterer;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import io.jenetics.Mutator;
import io.jenetics.Phenotype;
import io.jenetics.UniformCrossover;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * NSGA-II (Deb, Pratap, Agarwal, Meyarivan 2002) in its elitist-archive form, one generation per
 * {@link #sample} call; between calls it keeps the tried candidates ({@link Seen}) and the elite
 * {@link Archive}, updated by {@link #observe}.
 * <ol>
 *   <li>First, in every generation, the groupings of {@link Coverage} not tried yet, each with its other
 *       genes drawn as for a uniform candidate: the anchors (all tasks in one model; each task alone),
 *       in generation 0 the warm-start groupings, if any, for up to half of its candidates
 *       ({@code ceil(count / 2)}), and every grouping when there are at most {@code populationSize}.</li>
 *   <li>Generation 0, or nothing observed: uniform random candidates for the rest.</li>
 *   <li>Otherwise the population is the best {@code populationSize} trials of the archive by
 *       constraint-domination rank, then crowding distance within the front ({@link Ranking});
 *       ties are broken by the seeded generator. While the archive has not been truncated, these are
 *       the best of every trial observed.</li>
 *   <li>Parents: binary tournaments on the crowded-comparison operator, with replacement.</li>
 *   <li>Offspring: the parents' genotypes ({@link CandidateCodec#encode}) altered by Jenetics'
 *       {@link UniformCrossover} (90 % of the parents mate; genes of one chromosome swap with
 *       probability 1/2), a resetting {@link Mutator} (one gene per child on average) and a
 *       {@link GaussianStepMutator} (half the genes move by a normal step of 0.15 of the range).
 *       The rates were tuned on {@code Nsga2VersusRandomTest}'s synthetic study; heavy local
 *       steps pay off at the small budgets of a study. Children equal to a known or already proposed
 *       candidate are dropped and new rounds bred; what is still missing after
 *       {@value #MAX_ROUNDS} rounds is drawn uniformly, and fewer are returned only when that too
 *       finds nothing new.</li>
 * </ol>
 *
 * @implNote Thread-safe: {@link #observe} and {@link #sample} are synchronized. All randomness comes
 *     from one generator seeded by {@code (seed, generation)}, installed with {@link RandomRegistry#with}
 *     for the call's thread only; the archive is ranked in a canonical order, so the result is a
 *     function of {@code (seed, generation, count, archive)}. A proposal costs {@code O(capacity²)} for
 *     the ranking plus the breeding, whatever the number of trials observed.
 */
final class Nsga2Sampler implements Sampler {

    /** Breeding rounds before the rest of a request is filled with uniform candidates. */
    static final int MAX_ROUNDS = 50;

    private static final double CROSSOVER_PROBABILITY = 0.9;
    private static final double SWAP_PROBABILITY = 0.5;
    private static final double STEP_PROBABILITY = 0.5;
    private static final double STEP_SIGMA = 0.15;

    private final CandidateCodec codec;
    private final long seed;
    private final int populationSize;
    private final Alterer<DoubleGene, Integer> alterer;
    private final List<List<Integer>> seedGroupings;
    private final Coverage coverage;
    private final Seen seen;
    private final Archive archive;

    Nsga2Sampler(CandidateCodec codec, long seed, int populationSize) {
        this(codec, seed, populationSize, List.of());
    }

    Nsga2Sampler(CandidateCodec codec, long seed, int populationSize, List<List<Integer>> seedGroupings) {
        this.seedGroupings = List.copyOf(Objects.requireNonNull(seedGroupings, "seedGroupings").stream()
                .map(List::copyOf).toList());
        for (List<Integer> g : this.seedGroupings) {
            if (g.size() != codec.taskCount()) {
                throw new IllegalArgumentException("a seed grouping needs one label per task (" + codec.taskCount()
                        + "): " + g);
            }
        }
        this.codec = Objects.requireNonNull(codec, "codec");
        if (populationSize < 1) {
            throw new IllegalArgumentException("populationSize must be at least 1, was " + populationSize);
        }
        this.seed = seed;
        this.populationSize = populationSize;
        this.coverage = new Coverage(codec.taskCount(), codec.maxGroups(), populationSize);
        this.seen = Seen.watching(codec, coverage.order(this.seedGroupings));
        this.archive = new Archive(populationSize);
        Alterer<DoubleGene, Integer> crossover = new UniformCrossover<>(CROSSOVER_PROBABILITY, SWAP_PROBABILITY);
        this.alterer = crossover
                .andThen(new Mutator<>(1.0 / codec.geneCount()))
                .andThen(new GaussianStepMutator<>(STEP_PROBABILITY, STEP_SIGMA));
    }

    @Override
    public synchronized void observe(Evaluated trial) {
        if (seen.add(trial)) {
            archive.add(trial);
        }
    }

    @Override
    public synchronized List<Candidate> sample(int generation, int count) {
        Draws.check(generation, count);
        List<Evaluated> elite = archive.members();
        List<List<Integer>> seeds = generation == 0
                ? seedGroupings.subList(0, Math.min(seedGroupings.size(), (count + 1) / 2)) : List.of();
        return RandomRegistry.with(Draws.random(seed, generation), random -> {
            Proposal proposal = new Proposal(seen, count);
            Draws.fillGroupings(codec, coverage.order(seeds), proposal);
            if (generation > 0 && !elite.isEmpty() && !proposal.full()) {
                breed(generation, Ranking.canonical(elite), proposal, random);
            }
            Draws.fillRandom(codec, proposal);
            return proposal.candidates();
        });
    }

    private void breed(int generation, Ranking ranking, Proposal proposal, RandomGenerator random) {
        int[] order = ranking.order(random);
        int[] population = new int[Math.min(populationSize, order.length)];
        System.arraycopy(order, 0, population, 0, population.length);
        List<Genotype<DoubleGene>> genotypes = new ArrayList<>(population.length);
        for (int p : population) {
            genotypes.add(codec.encode(ranking.trial(p).candidate()));
        }
        for (int round = 0; round < MAX_ROUNDS && !proposal.full(); round++) {
            List<Phenotype<DoubleGene, Integer>> parents = new ArrayList<>(populationSize);
            for (int k = 0; k < populationSize; k++) {
                parents.add(Phenotype.of(genotypes.get(tournament(ranking, population, random)), generation));
            }
            for (Phenotype<DoubleGene, Integer> child : alterer.alter(ISeq.of(parents), generation).population()) {
                proposal.offer(codec.decode(child.genotype()));
            }
        }
    }

    /** Binary tournament on the crowded-comparison operator; returns a position in {@code population}. */
    private static int tournament(Ranking ranking, int[] population, RandomGenerator random) {
        int n = population.length;
        int a = random.nextInt(n);
        if (n == 1) {
            return a;
        }
        int b = (a + 1 + random.nextInt(n - 1)) % n;
        int cmp = ranking.compare(population[a], population[b]);
        if (cmp == 0) {
            return random.nextBoolean() ? a : b;
        }
        return cmp < 0 ? a : b;
    }

    /** How many trials the archive holds, for benchmarks and tests. */
    synchronized int archived() {
        return archive.members().size();
    }

    @Override
    public String toString() {
        return "Nsga2Sampler[seed=" + seed + ", populationSize=" + populationSize + "]";
    }
}
