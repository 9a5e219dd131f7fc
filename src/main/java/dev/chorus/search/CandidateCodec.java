package dev.chorus.search;

import dev.chorus.mtl.Architecture;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.search.SearchSpace.IntRange;
import dev.chorus.search.SearchSpace.RealRange;
import io.jenetics.DoubleChromosome;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import io.jenetics.engine.InvertibleCodec;
import io.jenetics.util.Factory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The Jenetics encoding of a {@link Candidate}: three {@link DoubleChromosome}s of genes in [0, 1),
 * one per dimension group.
 * <ol start="0">
 *   <li>{@link #GROUPS}: one gene per task; its model label is {@code floor(u * maxGroups)} (the
 *       candidate canonicalises the labels);</li>
 *   <li>{@link #WEIGHTS}: one gene per task; its loss weight is {@code weight.at(u)} (stretched so
 *       that both ends of the range are reached);</li>
 *   <li>{@link #SETTINGS}: weighting, trunk width, trunk depth, learning rate, epochs, batch size,
 *       architecture, head depth, experts
 *       (choices and whole-number ranges split [0, 1) into equal buckets).</li>
 * </ol>
 * Genes outside [0, 1) (or NaN) are clamped before decoding, so any genotype decodes. The genes of a
 * dimension the decoded choices leave unused (the weights unless the weighting is {@code fixed}, the
 * experts unless the architecture is MMoE) do not change the candidate, which is canonical
 * ({@link Candidate}): genotypes that differ only there decode to one candidate.
 *
 * <p>{@link #encode} is the inverse up to decoding: {@code decode(encode(c)).equals(c)} for every
 * candidate that {@link #decode} can produce. Discrete values are encoded at their bucket's centre;
 * real values by bisection for a gene that {@link RealRange#at} maps back to the exact same double
 * ({@code at} is monotone). A candidate with values outside the space is projected onto it (nearest
 * choice, clamped range, labels above {@code maxGroups - 1} merged into the last). Unused dimensions
 * are encoded like the others (weights of 1.0, the fewest experts), so a child that switches to
 * {@code fixed} starts from equal weights.
 *
 * @implNote Immutable and thread-safe. Random genotypes ({@code encoding().newInstance()}) draw from
 *     {@link io.jenetics.util.RandomRegistry#random()}, so they are as deterministic as the scope.
 */
final class CandidateCodec implements InvertibleCodec<Candidate, DoubleGene> {

    static final int GROUPS = 0;
    static final int WEIGHTS = 1;
    static final int SETTINGS = 2;

    private static final int WEIGHTING = 0;
    private static final int WIDTH = 1;
    private static final int DEPTH = 2;
    private static final int LEARNING_RATE = 3;
    private static final int EPOCHS = 4;
    private static final int BATCH = 5;
    private static final int ARCHITECTURE = 6;
    private static final int HEAD_DEPTH = 7;
    private static final int EXPERTS = 8;
    private static final int SETTING_GENES = 9;
    private static final double BELOW_ONE = Math.nextDown(1.0);

    private final SearchSpace space;
    private final int taskCount;
    private final Genotype<DoubleGene> template;

    CandidateCodec(SearchSpace space, int taskCount) {
        this.space = Objects.requireNonNull(space, "space");
        if (taskCount < 1) {
            throw new IllegalArgumentException("taskCount must be at least 1, was " + taskCount);
        }
        this.taskCount = taskCount;
        this.template = Genotype.of(
                DoubleChromosome.of(0, 1, taskCount),
                DoubleChromosome.of(0, 1, taskCount),
                DoubleChromosome.of(0, 1, SETTING_GENES));
    }

    int taskCount() {
        return taskCount;
    }

    /** The most groups of a candidate. */
    int maxGroups() {
        return space.maxGroups();
    }

    /** Number of genes of one genotype. */
    int geneCount() {
        return 2 * taskCount + SETTING_GENES;
    }

    @Override
    public Factory<Genotype<DoubleGene>> encoding() {
        return template;
    }

    @Override
    public Function<Genotype<DoubleGene>, Candidate> decoder() {
        return this::decode;
    }

    @Override
    public Function<Candidate, Genotype<DoubleGene>> encoder() {
        return this::encode;
    }

    @Override
    public Candidate decode(Genotype<DoubleGene> genotype) {
        if (genotype.length() != 3 || genotype.get(GROUPS).length() != taskCount
                || genotype.get(WEIGHTS).length() != taskCount
                || genotype.get(SETTINGS).length() != SETTING_GENES) {
            throw new IllegalArgumentException("genotype does not match this codec's shape: " + genotype);
        }
        List<Integer> groups = new ArrayList<>(taskCount);
        List<Double> weights = new ArrayList<>(taskCount);
        for (int t = 0; t < taskCount; t++) {
            groups.add(index(gene(genotype, GROUPS, t), space.maxGroups()));
            weights.add(real(space.weight(), gene(genotype, WEIGHTS, t)));
        }
        Weighting weighting = choice(space.weightings(), gene(genotype, SETTINGS, WEIGHTING));
        TrainSettings settings = new TrainSettings(
                choice(space.trunkWidths(), gene(genotype, SETTINGS, WIDTH)),
                whole(space.trunkDepth(), gene(genotype, SETTINGS, DEPTH)),
                real(space.learningRate(), gene(genotype, SETTINGS, LEARNING_RATE)),
                whole(space.epochs(), gene(genotype, SETTINGS, EPOCHS)),
                choice(space.batchSizes(), gene(genotype, SETTINGS, BATCH)));
        Architecture architecture = choice(space.architectures(), gene(genotype, SETTINGS, ARCHITECTURE));
        return new Candidate(groups, weights, weighting, settings, architecture,
                whole(space.headDepth(), gene(genotype, SETTINGS, HEAD_DEPTH)),
                whole(space.experts(), gene(genotype, SETTINGS, EXPERTS)));
    }

    /** @throws IllegalArgumentException if the candidate's task count differs from this codec's */
    @Override
    public Genotype<DoubleGene> encode(Candidate candidate) {
        if (candidate.groups().size() != taskCount) {
            throw new IllegalArgumentException("candidate has " + candidate.groups().size()
                    + " tasks, the codec " + taskCount);
        }
        double[] groups = new double[taskCount];
        double[] weights = new double[taskCount];
        for (int t = 0; t < taskCount; t++) {
            groups[t] = centre(Math.min(candidate.groups().get(t), space.maxGroups() - 1), space.maxGroups());
            weights[t] = preimage(space.weight(), candidate.weights().get(t));
        }
        TrainSettings s = candidate.settings();
        double[] settings = new double[SETTING_GENES];
        settings[WEIGHTING] = centre(Math.max(0, space.weightings().indexOf(candidate.weighting())),
                space.weightings().size());
        settings[WIDTH] = centre(nearest(space.trunkWidths(), s.trunkWidth()), space.trunkWidths().size());
        settings[DEPTH] = wholeGene(space.trunkDepth(), s.trunkDepth());
        settings[LEARNING_RATE] = preimage(space.learningRate(), s.learningRate());
        settings[EPOCHS] = wholeGene(space.epochs(), s.epochs());
        settings[BATCH] = centre(nearest(space.batchSizes(), s.batchSize()), space.batchSizes().size());
        settings[ARCHITECTURE] = centre(Math.max(0, space.architectures().indexOf(candidate.architecture())),
                space.architectures().size());
        settings[HEAD_DEPTH] = wholeGene(space.headDepth(), candidate.headDepth());
        settings[EXPERTS] = wholeGene(space.experts(), Math.max(candidate.experts(), space.experts().min()));
        return Genotype.of(chromosome(groups), chromosome(weights), chromosome(settings));
    }

    private static DoubleChromosome chromosome(double[] genes) {
        DoubleGene[] out = new DoubleGene[genes.length];
        for (int i = 0; i < genes.length; i++) {
            out[i] = DoubleGene.of(genes[i], 0, 1);
        }
        return DoubleChromosome.of(out);
    }

    private static double gene(Genotype<DoubleGene> genotype, int chromosome, int index) {
        double u = genotype.get(chromosome).get(index).doubleValue();
        return u >= 0 ? Math.min(u, BELOW_ONE) : 0; // NaN and negatives → 0
    }

    /** Bucket of {@code u} among {@code n} equal buckets of [0, 1). */
    static int index(double u, int n) {
        return (int) Math.min(n - 1L, (long) Math.floor(u * n));
    }

    /** Centre of bucket {@code i} of {@code n}. */
    static double centre(long i, long n) {
        return Math.min((i + 0.5) / n, BELOW_ONE);
    }

    private static <T> T choice(List<T> values, double u) {
        return values.get(index(u, values.size()));
    }

    private static int whole(IntRange range, double u) {
        long n = (long) range.max() - range.min() + 1;
        return (int) (range.min() + Math.min(n - 1, (long) Math.floor(u * n)));
    }

    private static double wholeGene(IntRange range, int value) {
        long clamped = Math.max(range.min(), Math.min(range.max(), value));
        return centre(clamped - range.min(), (long) range.max() - range.min() + 1);
    }

    /**
     * {@code range.at} stretched so that both ends are hit exactly (the lowest gene gives
     * {@code min}, the highest below 1 gives {@code max}) and clamped against rounding; monotone.
     */
    static double real(RealRange range, double u) {
        if (u <= 0) {
            return range.min();
        }
        if (u >= BELOW_ONE) {
            return range.max();
        }
        return Math.max(range.min(), Math.min(range.max(), range.at(u / BELOW_ONE)));
    }

    /** Index of {@code value} in {@code values}, or of the closest value. */
    private static int nearest(List<Integer> values, int value) {
        int best = 0;
        for (int i = 1; i < values.size(); i++) {
            if (Math.abs((long) values.get(i) - value) < Math.abs((long) values.get(best) - value)) {
                best = i;
            }
        }
        return best;
    }

    /**
     * A gene in [0, 1) that {@link #real} maps to {@code value}, or to the closest value it can reach.
     * Bisection over the bit patterns of non-negative doubles, which order like the doubles.
     */
    static double preimage(RealRange range, double value) {
        if (real(range, 0) >= value) {
            return 0;
        }
        if (real(range, BELOW_ONE) < value) {
            return BELOW_ONE;
        }
        long lo = 0; // real(lo) < value
        long hi = Double.doubleToLongBits(BELOW_ONE); // real(hi) >= value
        while (hi - lo > 1) {
            long mid = (lo + hi) >>> 1;
            if (real(range, Double.longBitsToDouble(mid)) >= value) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        double up = Double.longBitsToDouble(hi);
        double down = Double.longBitsToDouble(lo);
        return real(range, up) - value <= value - real(range, down) ? up : down;
    }
}
