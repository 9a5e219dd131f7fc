package dev.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.mtl.Architecture;
import dev.chorus.mtl.Candidate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RankingTest {

    private static Candidate c(int i) {
        return Fixtures.candidate(List.of(0, 1), 0.1 + i);
    }

    /** Three fronts of feasible trials and two infeasible trials, one with the best objectives. */
    private static List<Evaluated> trials() {
        return List.of(
                Evaluated.of(c(0), 1, 1, 5),
                Evaluated.of(c(1), 1, 3, 3),
                Evaluated.of(c(2), 1, 5, 1),
                Evaluated.of(c(3), 1, 2, 2),
                Evaluated.of(c(4), 1, 1, 1),
                new Evaluated(c(5), 1, new double[] {9, 9}, false),
                Evaluated.infeasible(c(6), 1));
    }

    @Test
    void ranksAreJeneticsRanks() {
        java.util.Random random = new java.util.Random(7);
        List<Evaluated> trials = new java.util.ArrayList<>();
        for (int i = 0; i < 400; i++) {
            var c = Fixtures.candidate(List.of(0, 0, 0, 1, 1, 1), 1.0 + i);
            trials.add(i % 17 == 0 ? Evaluated.infeasible(c, 0)
                    : Evaluated.of(c, 0, random.nextInt(10), random.nextInt(10), random.nextDouble()));
        }
        Ranking r = Ranking.of(trials);
        int[] ranks = new int[r.size()];
        Arrays.setAll(ranks, r::rank);
        assertThat(ranks).containsExactly(io.jenetics.ext.moea.Pareto.rank(io.jenetics.util.ISeq.of(trials),
                Pareto::constrainedDominance));
    }

    @Test
    void ranksFrontsAndPutsInfeasibleTrialsLast() {
        Ranking r = Ranking.of(trials());
        int[] ranks = new int[r.size()];
        Arrays.setAll(ranks, r::rank);
        assertThat(ranks).containsExactly(0, 0, 0, 1, 2, 3, 3);
    }

    @Test
    void crowdingIsMeasuredWithinEachFront() {
        Ranking r = Ranking.of(trials());
        assertThat(r.crowding(0)).isInfinite();
        assertThat(r.crowding(2)).isInfinite();
        assertThat(r.crowding(1)).isEqualTo(2.0); // (5-1)/(5-1) in each objective
        assertThat(r.crowding(3)).isInfinite();   // alone in its front
        assertThat(r.crowding(5)).isZero();
        assertThat(r.crowding(6)).isZero();
    }

    @Test
    void crowdedComparisonPrefersLowerRankThenLargerDistance() {
        Ranking r = Ranking.of(trials());
        assertThat(r.compare(1, 3)).isNegative();  // rank 0 beats rank 1
        assertThat(r.compare(0, 1)).isNegative();  // same rank, infinite beats 2
        assertThat(r.compare(0, 2)).isZero();
        assertThat(r.compare(4, 5)).isNegative();  // feasible beats infeasible with better objectives
    }

    @Test
    void orderRanksEveryFeasibleTrialBeforeAnyInfeasibleOne() {
        for (long seed = 0; seed < 20; seed++) {
            int[] order = Ranking.of(trials()).order(new SplittableRandom(seed));
            assertThat(Arrays.copyOfRange(order, 0, 3)).containsExactlyInAnyOrder(0, 2, 1);
            assertThat(order[2]).isEqualTo(1); // the crowded one last in the first front
            assertThat(Arrays.copyOfRange(order, 3, 5)).containsExactly(3, 4);
            assertThat(Arrays.copyOfRange(order, 5, 7)).containsExactlyInAnyOrder(5, 6);
        }
    }

    @Test
    void tiesAreBrokenByTheGeneratorNotByPosition() {
        List<Integer> firsts = new ArrayList<>();
        for (long seed = 0; seed < 40; seed++) {
            firsts.add(Ranking.of(trials()).order(new SplittableRandom(seed))[0]);
        }
        assertThat(firsts).contains(0, 2);
    }

    @Test
    void canonicalOrderDependsOnlyOnTheMultiset() {
        List<Evaluated> trials = new ArrayList<>(trials());
        trials.add(trials.get(1)); // a duplicate trial
        // failed trials (no objectives) that differ only in architecture, head depth or experts
        Candidate base = c(7);
        for (Architecture a : List.of(Architecture.HARD, Architecture.CROSS_STITCH)) {
            for (int headDepth = 0; headDepth < 2; headDepth++) {
                trials.add(Evaluated.infeasible(new Candidate(base.groups(), base.weights(), base.weighting(),
                        base.settings(), a, headDepth, 0), 1));
            }
        }
        for (int experts = 1; experts < 3; experts++) {
            trials.add(Evaluated.infeasible(new Candidate(base.groups(), base.weights(), base.weighting(),
                    base.settings(), Architecture.MMOE, 0, experts), 1));
        }
        Ranking reference = Ranking.canonical(trials);
        for (int shuffle = 0; shuffle < 10; shuffle++) {
            Collections.shuffle(trials, new Random(shuffle));
            Ranking r = Ranking.canonical(trials);
            for (int i = 0; i < r.size(); i++) {
                assertThat(r.trial(i)).isEqualTo(reference.trial(i));
                assertThat(r.rank(i)).isEqualTo(reference.rank(i));
                assertThat(r.crowding(i)).isEqualTo(reference.crowding(i));
            }
            assertThat(r.order(new SplittableRandom(3))).containsExactly(reference.order(new SplittableRandom(3)));
        }
    }
}
