package dev.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.mtl.Architecture;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.Weighting;
import dev.chorus.search.SearchSpace.IntRange;
import dev.chorus.search.SearchSpace.RealRange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Both samplers try the two ends of the grouping space first, and a small grouping space whole. */
class CoverageTest {

    private static final List<Integer> TOGETHER = List.of(0, 0, 0, 0, 0, 0);
    private static final List<Integer> APART = List.of(0, 1, 2, 3, 4, 5);

    /** A sampler for a space, a task count, a seed and a population size. */
    interface Factory {
        Sampler of(SearchSpace space, int tasks, long seed, int population);
    }

    static Stream<Arguments> samplers() {
        Factory nsga2 = Sampler::nsga2;
        Factory random = Sampler::random;
        return Stream.of(Arguments.of("nsga2", nsga2), Arguments.of("random", random));
    }

    /** Like an image study's: hard sharing only, few settings, any number of models. */
    private static SearchSpace space(int tasks) {
        return new SearchSpace(tasks, new RealRange(0.2, 5, true), List.of(Weighting.EQUAL, Weighting.FIXED),
                List.of(32), new IntRange(1, 1), new RealRange(1e-3, 1e-2, true), new IntRange(2, 3), List.of(32),
                List.of(Architecture.HARD), new IntRange(0, 0), new IntRange(2, 2));
    }

    private static List<List<Integer>> groupings(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::groups).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void aTwoTaskStudyTriesBothGroupingsFirst(String name, Factory factory) {
        for (long seed = 0; seed < 20; seed++) {
            for (int population : new int[] {2, 4, 8}) {
                List<Candidate> first = Fixtures.propose(factory.of(space(2), 2, seed, population), 0, population, List.of());
                assertThat(groupings(first.subList(0, 2))).as("seed %d, population %d", seed, population)
                        .containsExactly(List.of(0, 0), List.of(0, 1));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void aThreeTaskStudyTriesAllFiveGroupingsBeforeRepeatingOne(String name, Factory factory) {
        for (long seed = 0; seed < 20; seed++) {
            for (int population : new int[] {5, 6, 8}) {
                List<Candidate> first = Fixtures.propose(factory.of(space(3), 3, seed, population), 0, population, List.of());
                assertThat(new HashSet<>(groupings(first.subList(0, 5)))).as("seed %d, population %d", seed, population)
                        .hasSize(5);
            }
        }
    }

    /** Proposals that come two at a time, as in a steady-state study: the coverage goes on from the history. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void groupingsNotTriedYetLeadLaterGenerations(String name, Factory factory) {
        Sampler sampler = factory.of(space(3), 3, 4, 8);
        List<Evaluated> history = new ArrayList<>();
        for (int g = 0; g < 4; g++) {
            history.addAll(Fixtures.evaluate(Fixtures.propose(sampler, g, 2, history), g));
        }
        List<List<Integer>> tried = history.stream().map(e -> e.candidate().groups()).toList();
        assertThat(tried.subList(0, 2)).containsExactly(List.of(0, 0, 0), List.of(0, 1, 2));
        assertThat(new HashSet<>(tried.subList(0, 5))).hasSize(5);
        List<Evaluated> reversed = new ArrayList<>(history.reversed());
        assertThat(Fixtures.propose(factory.of(space(3), 3, 4, 8), 2, 2, reversed.subList(4, 8)))
                .as("the same seed and history give the same proposals").isEqualTo(Fixtures.propose(factory.of(space(3), 3, 4, 8), 2, 2, history.subList(0, 4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void aSixTaskStudysGenerationZeroHoldsAllTogetherAndAllApart(String name, Factory factory) {
        for (long seed = 0; seed < 20; seed++) {
            List<Candidate> first = Fixtures.propose(factory.of(Fixtures.space(6), 6, seed, 8), 0, 8, List.of());
            assertThat(groupings(first)).as("seed %d", seed).startsWith(TOGETHER, APART);
            assertThat(first).hasSize(8).doesNotHaveDuplicates();
        }
    }

    @Test
    void theWarmStartFollowsTheTwoEnds() {
        List<List<Integer>> seeds = List.of(List.of(0, 0, 0, 1, 1, 2), TOGETHER, List.of(0, 0, 1, 1, 2, 2));
        List<Candidate> first = Fixtures.propose(Sampler.nsga2(Fixtures.space(6), 6, 3, 8, seeds), 0, 8, List.of());
        assertThat(groupings(first.subList(0, 4))).containsExactly(TOGETHER, APART, seeds.get(0), seeds.get(2));
    }

    @Test
    void theEndsAreTheOnlyGroupingsOfALargeSpaceAndEachTaskAloneNeedsEnoughModels() {
        assertThat(new Coverage(6, 6, 8).order(List.of())).containsExactly(TOGETHER, APART);
        assertThat(new Coverage(6, 4, 500).order(List.of())).startsWith(TOGETHER).doesNotContain(APART);
        assertThat(new Coverage(1, 1, 1).order(List.of())).containsOnly(List.of(0));
        Set<List<Integer>> small = new HashSet<>(new Coverage(3, 3, 5).order(List.of()));
        assertThat(small).hasSize(5);
        assertThat(new Coverage(3, 3, 4).order(List.of())).hasSize(2);
        assertThat(new Coverage(4, 4, 15).order(List.of(List.of(0, 1, 1, 0))))
                .hasSize(2 + 1 + 15).element(2).isEqualTo(List.of(0, 1, 1, 0));
    }
}
