package dev.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.Weighting;
import io.jenetics.util.RandomRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@link Sampler} contract the coordinator relies on, checked for every built-in sampler. */
class SamplerContractTest {

    static Stream<Arguments> samplers() {
        LongFunction<Sampler> nsga2 = seed -> Sampler.nsga2(Fixtures.space(), Fixtures.TASKS, seed, 8);
        LongFunction<Sampler> random = seed -> Sampler.random(Fixtures.space(), Fixtures.TASKS, seed, 8);
        return Stream.of(Arguments.of("nsga2", nsga2), Arguments.of("random", random));
    }

    /** Three generations of eight, evaluated with made-up objectives, and one failed trial. */
    private static List<Evaluated> history(Sampler sampler) {
        List<Evaluated> history = new ArrayList<>();
        for (int g = 0; g < 3; g++) {
            history.addAll(Fixtures.evaluate(Fixtures.propose(sampler, g, 8, history), g));
        }
        history.add(Evaluated.infeasible(history.get(0).candidate().equals(history.get(1).candidate())
                ? history.get(2).candidate() : history.get(1).candidate(), 2));
        return history;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void generationZeroIsCountDistinctCandidates(String name, LongFunction<Sampler> factory) {
        List<Candidate> first = Fixtures.propose(factory.apply(1), 0, 16, List.of());
        assertThat(first).hasSize(16).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void sameSeedAndHistoryGiveTheSameCandidatesWhateverTheHistoryOrder(String name, LongFunction<Sampler> factory) {
        List<Evaluated> history = history(factory.apply(5));
        List<Candidate> expected = Fixtures.propose(factory.apply(5), 3, 8, history);
        assertThat(Fixtures.propose(factory.apply(5), 3, 8, history)).isEqualTo(expected);
        for (int i = 0; i < 5; i++) {
            List<Evaluated> shuffled = new ArrayList<>(history);
            Collections.shuffle(shuffled, new Random(i));
            assertThat(Fixtures.propose(factory.apply(5), 3, 8, shuffled)).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void askingAgainOrObservingATrialAgainChangesNothing(String name, LongFunction<Sampler> factory) {
        List<Evaluated> history = history(factory.apply(6));
        Sampler sampler = factory.apply(6);
        history.forEach(sampler::observe);
        List<Candidate> first = sampler.sample(3, 8);
        assertThat(sampler.sample(3, 8)).isEqualTo(first);
        history.forEach(sampler::observe); // a coordinator's overlapping top-up reads trials twice
        assertThat(sampler.sample(3, 8)).isEqualTo(first);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void otherSeedOrGenerationGivesOtherCandidates(String name, LongFunction<Sampler> factory) {
        assertThat(Fixtures.propose(factory.apply(1), 0, 8, List.of())).isNotEqualTo(Fixtures.propose(factory.apply(2), 0, 8, List.of()));
        List<Evaluated> history = history(factory.apply(1));
        List<Candidate> one = Fixtures.propose(factory.apply(1), 3, 8, history);
        assertThat(Fixtures.propose(factory.apply(2), 3, 8, history)).isNotEqualTo(one);
        assertThat(Fixtures.propose(factory.apply(1), 4, 8, history)).isNotEqualTo(one);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void neverProposesAKnownCandidateNorOneTwice(String name, LongFunction<Sampler> factory) {
        Sampler sampler = factory.apply(9);
        List<Evaluated> history = new ArrayList<>();
        for (int g = 0; g < 12; g++) {
            List<Candidate> next = Fixtures.propose(sampler, g, 8, history);
            Set<Candidate> known = history.stream().map(Evaluated::candidate).collect(Collectors.toSet());
            assertThat(next).hasSize(8).doesNotHaveDuplicates().noneMatch(known::contains);
            history.addAll(Fixtures.evaluate(next, g));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void returnsFewerWhenTheSpaceIsExhausted(String name, LongFunction<Sampler> unused) {
        // two tasks, at most two models, two weightings, every other range one point: 4 candidates
        SearchSpace tiny = Fixtures.tinySpace(List.of(Weighting.EQUAL, Weighting.FIXED));
        Sampler sampler = name.equals("nsga2") ? Sampler.nsga2(tiny, 2, 1, 4) : Sampler.random(tiny, 2, 1, 4);
        List<Candidate> all = Fixtures.propose(sampler, 0, 10, List.of());
        assertThat(all).hasSize(4).doesNotHaveDuplicates();
        List<Evaluated> history = Fixtures.evaluate(all.subList(0, 3), 0);
        assertThat(Fixtures.propose(sampler, 1, 5, history)).containsExactly(all.get(3));
        assertThat(Fixtures.propose(sampler, 2, 5, Fixtures.evaluate(all, 0))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void copesWithAHistoryOfOnlyFailedTrials(String name, LongFunction<Sampler> factory) {
        Sampler sampler = factory.apply(3);
        List<Evaluated> failed = Fixtures.propose(sampler, 0, 8, List.of()).stream()
                .map(c -> Evaluated.infeasible(c, 0)).toList();
        assertThat(Fixtures.propose(sampler, 1, 8, failed)).hasSize(8).doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(failed.stream().map(Evaluated::candidate).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void checksItsArguments(String name, LongFunction<Sampler> factory) {
        Sampler sampler = factory.apply(1);
        assertThat(Fixtures.propose(sampler, 0, 0, List.of())).isEmpty();
        assertThatThrownBy(() -> Fixtures.propose(sampler, -1, 1, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fixtures.propose(sampler, 0, -1, List.of())).isInstanceOf(IllegalArgumentException.class);
        List<Evaluated> wrongTasks = Fixtures.evaluate(List.of(Fixtures.candidate(List.of(0, 1), 1.0)), 0);
        assertThatThrownBy(() -> Fixtures.propose(sampler, 1, 1, wrongTasks)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tasks");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void concurrentCallsMatchSerialOnesAndLeaveTheRegistryAlone(String name, LongFunction<Sampler> factory)
            throws Exception {
        Sampler sampler = factory.apply(11);
        List<Evaluated> history = history(sampler);
        var before = RandomRegistry.random();
        List<List<Candidate>> serial = new ArrayList<>();
        for (int g = 3; g < 11; g++) {
            serial.add(Fixtures.propose(sampler, g, 8, history));
        }
        assertThat(RandomRegistry.random()).isSameAs(before);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Candidate>>> futures = new ArrayList<>();
            for (int g = 3; g < 11; g++) {
                int generation = g;
                futures.add(pool.submit(() -> Fixtures.propose(sampler, generation, 8, history)));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).isEqualTo(serial.get(i));
            }
        } finally {
            pool.shutdown();
        }
        assertThat(new HashSet<>(serial)).hasSize(serial.size());
    }
}
