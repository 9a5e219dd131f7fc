package dev.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.mtl.Candidate;
import java.util.List;
import org.junit.jupiter.api.Test;

class AffinityGroupingsTest {

    /** Tasks 0, 1, 2 help each other, 3 and 4 help each other, 5 hurts everyone and is hurt. */
    static double[][] clustered() {
        int n = 6;
        int[] cluster = {0, 0, 0, 1, 1, 2};
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = i == j ? 0.1 : cluster[i] == 2 || cluster[j] == 2 ? -0.02
                        : cluster[i] == cluster[j] ? 0.01 + 0.001 * (i + j) : -0.005;
            }
        }
        return a;
    }

    @Test
    void obviousPartitionComesFirst() {
        List<List<Integer>> best = AffinityGroupings.best(clustered(), 6, 5);
        assertThat(best).hasSize(5).doesNotHaveDuplicates();
        assertThat(best.getFirst()).containsExactly(0, 0, 0, 1, 1, 2);
        assertThat(AffinityGroupings.best(clustered(), 6, 5)).isEqualTo(best);
    }

    @Test
    void respectsMaxGroupsAndCounts() {
        List<List<Integer>> best = AffinityGroupings.best(clustered(), 2, 100);
        assertThat(best).hasSize(32); // partitions of 6 tasks into at most 2 groups: 1 + (2^5 - 1)
        assertThat(best).allSatisfy(g -> assertThat(g).allSatisfy(l -> assertThat(l).isBetween(0, 1)));
        assertThat(AffinityGroupings.best(clustered(), 1, 3)).containsExactly(List.of(0, 0, 0, 0, 0, 0));
        assertThat(AffinityGroupings.best(new double[0][0], 3, 3)).isEmpty();
    }

    @Test
    void beamSearchAboveEightTasksFindsTheClusters() {
        int n = 10;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = i == j ? 0.1 : (i < 5) == (j < 5) ? 0.01 : -0.01;
            }
        }
        assertThat(AffinityGroupings.best(a, 4, 1).getFirst()).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1, 1);
    }

    @Test
    void warmStartedNsga2PutsTheGroupingsInGenerationZeroDeterministically() {
        List<List<Integer>> seeds = AffinityGroupings.best(clustered(), 3, 3);
        Sampler sampler = Sampler.nsga2(Fixtures.space(3), Fixtures.TASKS, 11, 8, seeds);
        List<Candidate> first = Fixtures.propose(sampler, 0, 8, List.of());
        assertThat(first).hasSize(8);
        // after all tasks in one model (each task alone needs 6 models, above max-groups 3)
        assertThat(first.getFirst().groups()).containsOnly(0);
        assertThat(first.subList(1, 4)).extracting(Candidate::groups).containsExactlyElementsOf(seeds);
        assertThat(Fixtures.propose(Sampler.nsga2(Fixtures.space(3), Fixtures.TASKS, 11, 8, seeds), 0, 8, List.of()))
                .isEqualTo(first);
        assertThat(first).allSatisfy(c -> assertThat(c.groupCount()).isLessThanOrEqualTo(3));
        // at most half of the generation is seeded
        List<List<Integer>> many = AffinityGroupings.best(clustered(), 3, 50);
        List<Candidate> half = Fixtures.propose(Sampler.nsga2(Fixtures.space(3), Fixtures.TASKS, 11, 8, many), 0, 8, List.of());
        assertThat(half.subList(1, 5)).extracting(Candidate::groups).containsExactlyElementsOf(many.subList(0, 4));
        // later generations are unaffected by the seeds
        List<Evaluated> history = Fixtures.evaluate(first, 0);
        assertThat(Fixtures.propose(sampler, 1, 8, history))
                .isEqualTo(Fixtures.propose(Sampler.nsga2(Fixtures.space(3), Fixtures.TASKS, 11, 8), 1, 8, history));
    }
}
