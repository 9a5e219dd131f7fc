package dev.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.mtl.Architecture;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.search.SearchSpace.IntRange;
import dev.chorus.search.SearchSpace.RealRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class Nsga2SamplerTest {

    private static Candidate candidate(Weighting weighting, int i) {
        return new Candidate(List.of(0, 0, 0, 1, 1, 1), Collections.nCopies(Fixtures.TASKS, 0.5 + 0.1 * i), weighting,
                new TrainSettings(64, 2, 0.01, 10 + i, 32));
    }

    /**
     * Four mediocre feasible EQUAL trials and twelve infeasible FIXED ones with far better objectives:
     * with a population of four, the parents are the feasible four, so the children keep EQUAL
     * (a child flips its weighting gene only by mutation).
     */
    @Test
    void infeasibleTrialsDoNotParentWhileFeasibleOnesFillThePopulation() {
        List<Evaluated> history = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            history.add(Evaluated.of(candidate(Weighting.EQUAL, i), 0, i, -i));
        }
        for (int i = 0; i < 12; i++) {
            history.add(new Evaluated(candidate(Weighting.FIXED, i), 0, new double[] {100 + i, 100}, false));
        }
        List<Candidate> children = Fixtures.propose(Sampler.nsga2(Fixtures.space(), Fixtures.TASKS, 3, 4), 1, 32, history);
        long equal = children.stream().filter(c -> c.weighting() == Weighting.EQUAL).count();
        assertThat(children).hasSize(32);
        assertThat(equal).as("children that kept their parents' EQUAL weighting").isGreaterThanOrEqualTo(24);
    }

    /** The same history with the roles swapped: now the FIXED trials are the feasible ones. */
    @Test
    void feasibleTrialsParentWhateverTheirObjectives() {
        List<Evaluated> history = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            history.add(Evaluated.of(candidate(Weighting.FIXED, i), 0, -100 - i, -100));
        }
        for (int i = 0; i < 12; i++) {
            history.add(new Evaluated(candidate(Weighting.EQUAL, i), 0, new double[] {100 + i, 100}, false));
        }
        List<Candidate> children = Fixtures.propose(Sampler.nsga2(Fixtures.space(), Fixtures.TASKS, 3, 4), 1, 32, history);
        assertThat(children.stream().filter(c -> c.weighting() == Weighting.FIXED).count()).isGreaterThanOrEqualTo(24);
    }

    /**
     * A study whose only weighting is EQUAL: the loss-weight genes do not change what is trained, so
     * sixty proposals of NSGA-II must be sixty different trainings (the space holds 120).
     */
    @Test
    void proposalsOfAStudyWithEqualWeightingAreDistinctTrainings() {
        SearchSpace space = new SearchSpace(3, new RealRange(0.2, 5, true), List.of(Weighting.EQUAL), List.of(32, 64),
                new IntRange(1, 2), new RealRange(0.01, 0.01, false), new IntRange(10, 12), List.of(32),
                List.of(Architecture.HARD), new IntRange(0, 1), new IntRange(2, 2));
        Sampler sampler = Sampler.nsga2(space, 3, 7, 10);
        List<Evaluated> history = new ArrayList<>();
        for (int g = 0; g < 6; g++) {
            for (Candidate c : Fixtures.propose(sampler, g, 10, history)) {
                TrainSettings s = c.settings();
                history.add(Evaluated.of(c, g, -c.groupCount(), s.trunkWidth() * s.trunkDepth(), c.headDepth() - s.epochs()));
            }
        }
        Set<List<Object>> trainings = history.stream().map(e -> training(e.candidate())).collect(Collectors.toSet());
        assertThat(history).hasSize(60);
        assertThat(trainings).as("distinct trainings among the proposals").hasSize(60);
    }

    /** What a candidate trains: everything but the loss weights when the weighting does not use them. */
    private static List<Object> training(Candidate c) {
        return Arrays.asList(c.groups(), c.weighting() == Weighting.FIXED ? c.weights() : null, c.weighting(),
                c.settings(), c.architecture(), c.headDepth(), c.experts());
    }

    @Test
    void aPopulationOfOneStillBreedsByMutation() {
        Sampler sampler = Sampler.nsga2(Fixtures.space(), Fixtures.TASKS, 5, 1);
        List<Evaluated> history = Fixtures.evaluate(Fixtures.propose(sampler, 0, 4, List.of()), 0);
        assertThat(Fixtures.propose(sampler, 1, 8, history)).hasSize(8).doesNotHaveDuplicates();
    }
}
