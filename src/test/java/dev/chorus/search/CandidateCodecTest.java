package dev.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.mtl.Architecture;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.search.SearchSpace.RealRange;
import io.jenetics.Chromosome;
import io.jenetics.DoubleChromosome;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import io.jenetics.util.RandomRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CandidateCodecTest {

    /** The experts gene: the ninth of the settings chromosome. */
    private static final int EXPERTS_GENE = 8;

    private final SearchSpace space = Fixtures.space();
    private final CandidateCodec codec = new CandidateCodec(space, Fixtures.TASKS);

    private List<Genotype<DoubleGene>> randomGenotypes(int n) {
        return RandomRegistry.with(new SplittableRandom(42), r -> {
            List<Genotype<DoubleGene>> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(codec.encoding().newInstance());
            }
            return out;
        });
    }

    @Test
    void encodingHasOneChromosomePerDimensionGroup() {
        Genotype<DoubleGene> gt = codec.encoding().newInstance();
        assertThat(gt.length()).isEqualTo(3);
        assertThat(gt.get(CandidateCodec.GROUPS).length()).isEqualTo(Fixtures.TASKS);
        assertThat(gt.get(CandidateCodec.WEIGHTS).length()).isEqualTo(Fixtures.TASKS);
        assertThat(gt.get(CandidateCodec.SETTINGS).length()).isEqualTo(9);
        assertThat(gt.geneCount()).isEqualTo(codec.geneCount());
    }

    @Test
    void encodeOfDecodedCandidateDecodesToTheSameCandidate() {
        for (Genotype<DoubleGene> gt : randomGenotypes(3000)) {
            Candidate c = codec.decode(gt);
            Genotype<DoubleGene> back = codec.encode(c);
            assertThat(back.isValid()).as("genes in [0,1) for %s", c).isTrue();
            assertThat(codec.decode(back)).isEqualTo(c);
        }
    }

    @Test
    void decodedCandidatesRespectTheSpace() {
        for (Genotype<DoubleGene> gt : randomGenotypes(3000)) {
            assertInSpace(codec.decode(gt));
        }
    }

    @Test
    void extremeAndOutOfRangeGenesStillDecodeInsideTheSpace() {
        for (double u : new double[] {0, Math.nextDown(1.0), 1.0, -0.5, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            Candidate c = codec.decode(constant(u));
            assertInSpace(c);
        }
        Candidate low = codec.decode(constant(0));
        assertThat(low.groupCount()).isEqualTo(1);
        assertThat(low.weighting()).isEqualTo(Weighting.EQUAL);
        assertThat(low.weights()).as("unused by EQUAL").containsOnly(1.0);
        assertThat(low.settings()).isEqualTo(new TrainSettings(32, 1, 1e-4, 5, 16));
        Candidate high = codec.decode(constant(Math.nextDown(1.0)));
        assertThat(high.weighting()).isEqualTo(Weighting.FIXED);
        assertThat(high.settings().trunkWidth()).isEqualTo(128);
        assertThat(high.settings().trunkDepth()).isEqualTo(4);
        assertThat(high.settings().epochs()).isEqualTo(50);
        assertThat(high.settings().batchSize()).isEqualTo(64);
        assertThat(high.settings().learningRate()).isEqualTo(0.1);
        assertThat(high.weights()).containsOnly(4.0);
    }

    @Test
    void everyDiscreteValueIsReachable() {
        Set<Object> seen = new HashSet<>();
        for (Genotype<DoubleGene> gt : randomGenotypes(3000)) {
            Candidate c = codec.decode(gt);
            seen.add("groups" + c.groupCount());
            seen.add(c.weighting());
            seen.add("width" + c.settings().trunkWidth());
            seen.add("depth" + c.settings().trunkDepth());
            seen.add("batch" + c.settings().batchSize());
            seen.add("epochs" + c.settings().epochs());
        }
        assertThat(seen).contains("groups1", "groups2", "groups3", "groups4", Weighting.EQUAL, Weighting.FIXED,
                "width32", "width64", "width128", "depth1", "depth4", "batch16", "batch64", "epochs5", "epochs50");
        assertThat(seen.stream().filter(o -> o.toString().startsWith("epochs"))).hasSize(46);
    }

    @Test
    void realValuesRoundTripExactlyOnLogAndPointRanges() {
        SplittableRandom random = new SplittableRandom(7);
        List<RealRange> ranges = List.of(new RealRange(1e-6, 1.0, true), new RealRange(1000, 1000.001, false),
                new RealRange(-3, 5, false), new RealRange(2, 2, false), new RealRange(0.01, 0.01, true));
        for (RealRange range : ranges) {
            for (int i = 0; i < 500; i++) {
                double u = random.nextDouble();
                double value = CandidateCodec.real(range, u);
                double gene = CandidateCodec.preimage(range, value);
                assertThat(gene).isBetween(0.0, Math.nextDown(1.0));
                assertThat(CandidateCodec.real(range, gene)).as("range %s value %s", range, value).isEqualTo(value);
            }
            for (double end : new double[] {range.min(), range.max()}) {
                assertThat(CandidateCodec.real(range, CandidateCodec.preimage(range, end))).isEqualTo(end);
            }
        }
    }

    @Test
    void encodeProjectsValuesOutsideTheSpace() {
        Candidate outside = new Candidate(List.of(0, 1, 2, 3, 4, 5), List.of(9.0, 0.0, 1.0, 1.0, 1.0, 1.0),
                Weighting.FIXED, new TrainSettings(100, 9, 1.0, 1, 1000));
        Candidate c = codec.decode(codec.encode(outside));
        assertInSpace(c);
        assertThat(c.groups()).containsExactly(0, 1, 2, 3, 3, 3);
        assertThat(c.weights().get(0)).isEqualTo(4.0);
        assertThat(c.weights().get(1)).isEqualTo(0.1);
        assertThat(c.settings()).isEqualTo(new TrainSettings(128, 4, 0.1, 5, 64));
    }

    /** Genes of unused dimensions change nothing: loss weights unless FIXED, experts unless MMoE. */
    @Test
    void genesOfUnusedDimensionsDoNotChangeTheCandidate() {
        SplittableRandom random = new SplittableRandom(3);
        int changed = 0;
        for (Genotype<DoubleGene> gt : randomGenotypes(500)) {
            Candidate c = codec.decode(gt);
            Genotype<DoubleGene> other = Genotype.of(gt.get(CandidateCodec.GROUPS),
                    randomChromosome(random, Fixtures.TASKS), withGene(gt.get(CandidateCodec.SETTINGS), EXPERTS_GENE, random.nextDouble()));
            Candidate d = codec.decode(other);
            if (c.weighting() != Weighting.FIXED && c.architecture() != Architecture.MMOE) {
                assertThat(d).isEqualTo(c).hasSameHashCodeAs(c);
            } else {
                changed += d.equals(c) ? 0 : 1;
            }
        }
        assertThat(changed).as("candidates whose used weights or experts moved").isPositive();
    }

    @Test
    void rejectsCandidatesOfAnotherTaskCount() {
        assertThatThrownBy(() -> codec.encode(Fixtures.candidate(List.of(0, 1), 1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tasks");
    }

    private Genotype<DoubleGene> constant(double u) {
        return Genotype.of(chromosome(u, Fixtures.TASKS), chromosome(u, Fixtures.TASKS), chromosome(u, 9));
    }

    private static DoubleChromosome randomChromosome(SplittableRandom random, int length) {
        List<DoubleGene> genes = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            genes.add(DoubleGene.of(random.nextDouble(), 0, 1));
        }
        return DoubleChromosome.of(genes);
    }

    private static DoubleChromosome withGene(Chromosome<DoubleGene> chromosome, int index, double u) {
        List<DoubleGene> genes = new ArrayList<>();
        for (int i = 0; i < chromosome.length(); i++) {
            genes.add(i == index ? DoubleGene.of(u, 0, 1) : chromosome.get(i));
        }
        return DoubleChromosome.of(genes);
    }

    private static DoubleChromosome chromosome(double u, int length) {
        List<DoubleGene> genes = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            genes.add(DoubleGene.of(u, 0, 1));
        }
        return DoubleChromosome.of(genes);
    }

    private void assertInSpace(Candidate c) {
        assertThat(c.groups()).hasSize(Fixtures.TASKS);
        assertThat(c.groupCount()).isBetween(1, space.maxGroups());
        if (c.weighting() == Weighting.FIXED) {
            assertThat(c.weights()).allSatisfy(w -> assertThat(w).isBetween(space.weight().min(), space.weight().max()));
        } else {
            assertThat(c.weights()).containsOnly(1.0);
        }
        assertThat(space.weightings()).contains(c.weighting());
        TrainSettings s = c.settings();
        assertThat(space.trunkWidths()).contains(s.trunkWidth());
        assertThat(s.trunkDepth()).isBetween(space.trunkDepth().min(), space.trunkDepth().max());
        assertThat(s.learningRate()).isBetween(space.learningRate().min(), space.learningRate().max());
        assertThat(s.epochs()).isBetween(space.epochs().min(), space.epochs().max());
        assertThat(space.batchSizes()).contains(s.batchSize());
        assertThat(space.architectures()).contains(c.architecture());
        assertThat(c.headDepth()).isBetween(space.headDepth().min(), space.headDepth().max());
        if (c.architecture() == Architecture.MMOE) {
            assertThat(c.experts()).isBetween(space.experts().min(), space.experts().max());
        } else {
            assertThat(c.experts()).isZero();
        }
    }
}
