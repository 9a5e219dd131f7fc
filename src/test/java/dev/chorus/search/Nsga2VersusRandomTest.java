package dev.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * NSGA-II against uniform sampling on a synthetic study with a known optimum, evaluated in-process.
 * Everything is seeded, so the outcome is fixed, not flaky. A sampler that ignored the history would
 * win about half the seeds and tie on the mean, and fail; so does NSGA-II with its selection replaced
 * by a random pick (measured while tuning: 18 of 40 seeds, mean hypervolume 4.05 vs 4.03).
 */
class Nsga2VersusRandomTest {

    private static final int GENERATIONS = 10;
    private static final int PER_GENERATION = 8;
    private static final long[] SEEDS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    /** Below every feasible objective vector: affinity ≥ -1.25, -models ≥ -4, fit ≥ 0. */
    private static final double[] REFERENCE = {-1.5, -4.5, 0};
    private static final double[] TARGET_WEIGHTS = {2.0, 0.5, 1.5, 0.7, 1.2, 3.0};

    /**
     * Three maximised objectives of a six-task study whose tasks form two hidden families,
     * {0, 1, 2} and {3, 4, 5}.
     * <ol>
     *   <li>affinity: per pair sharing a model +1 within a family, -1.5 across, over 6 (best 1: the
     *       two families as two models);</li>
     *   <li>minus the model count;</li>
     *   <li>fit in [0, 1]: 1 minus the mean of three normalised absolute errors: loss weights against
     *       hidden targets (EQUAL counts as all 1), log learning rate against 3e-3, depth against 3.</li>
     * </ol>
     * Width 128 at depth 4 "runs out of memory": infeasible.
     */
    static Evaluated evaluate(Candidate c, int generation) {
        TrainSettings s = c.settings();
        if (s.trunkWidth() == 128 && s.trunkDepth() == 4) {
            return Evaluated.infeasible(c, generation);
        }
        double affinity = 0;
        for (List<Integer> members : c.members()) {
            for (int i = 0; i < members.size(); i++) {
                for (int j = i + 1; j < members.size(); j++) {
                    affinity += members.get(i) / 3 == members.get(j) / 3 ? 1 : -1.5;
                }
            }
        }
        double weightError = 0;
        for (int t = 0; t < TARGET_WEIGHTS.length; t++) {
            double w = c.weighting() == Weighting.EQUAL ? 1.0 : c.weights().get(t);
            weightError += Math.abs(w - TARGET_WEIGHTS[t]) / 3.9;
        }
        weightError /= TARGET_WEIGHTS.length;
        double lrError = Math.abs(Math.log(s.learningRate() / 3e-3) / Math.log(1000));
        double depthError = Math.abs(s.trunkDepth() - 3) / 3.0;
        double fit = 1 - (weightError + lrError + depthError) / 3;
        return Evaluated.of(c, generation, affinity / 6, -c.groupCount(), fit);
    }

    private static double sq(double x) {
        return x * x;
    }

    private static List<Evaluated> run(Sampler sampler) {
        List<Evaluated> history = new ArrayList<>();
        for (int g = 0; g < GENERATIONS; g++) {
            for (Candidate c : Fixtures.propose(sampler, g, PER_GENERATION, history)) {
                history.add(evaluate(c, g));
            }
        }
        return history;
    }

    private static double hypervolume(List<Evaluated> history) {
        return Hypervolume.of(history.stream().filter(Evaluated::feasible).map(Evaluated::objectives).toList(),
                REFERENCE);
    }

    /** Whether some feasible trial has the known best grouping: the two families as two models. */
    private static boolean foundBestGrouping(List<Evaluated> history) {
        return history.stream().filter(Evaluated::feasible)
                .anyMatch(e -> e.candidate().groups().equals(List.of(0, 0, 0, 1, 1, 1)));
    }

    private static double bestFit(List<Evaluated> history) {
        return history.stream().filter(Evaluated::feasible).mapToDouble(e -> e.objectives()[2]).max().orElse(0);
    }

    @Test
    void nsga2ReachesALargerHypervolumeThanRandomSampling() {
        double nsgaTotal = 0;
        double randomTotal = 0;
        int wins = 0;
        int nsgaFound = 0;
        int randomFound = 0;
        for (long seed : SEEDS) {
            List<Evaluated> nsga = run(Sampler.nsga2(Fixtures.space(), Fixtures.TASKS, seed, PER_GENERATION));
            List<Evaluated> random = run(Sampler.random(Fixtures.space(), Fixtures.TASKS, seed, PER_GENERATION));
            assertThat(nsga).hasSize(GENERATIONS * PER_GENERATION);
            assertThat(random).hasSize(GENERATIONS * PER_GENERATION);
            double hvNsga = hypervolume(nsga);
            double hvRandom = hypervolume(random);
            System.out.printf(Locale.ROOT, "seed %d: hypervolume NSGA-II %.4f random %.4f; best grouping found %b vs %b;"
                    + " best fit %.4f vs %.4f%n", seed, hvNsga, hvRandom, foundBestGrouping(nsga),
                    foundBestGrouping(random), bestFit(nsga), bestFit(random));
            nsgaTotal += hvNsga;
            randomTotal += hvRandom;
            wins += hvNsga > hvRandom ? 1 : 0;
            nsgaFound += foundBestGrouping(nsga) ? 1 : 0;
            randomFound += foundBestGrouping(random) ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "mean hypervolume NSGA-II %.4f random %.4f; NSGA-II larger on %d/%d seeds;"
                + " best grouping found on %d vs %d seeds%n", nsgaTotal / SEEDS.length, randomTotal / SEEDS.length,
                wins, SEEDS.length, nsgaFound, randomFound);
        // 9 of 10 until the sampler drew its population from the bounded archive (issue 18): the tie-breaking
        // shuffle now runs over the archive, not the whole history, so the seeds draw other numbers; 8 of 10 since
        assertThat(wins).as("seeds where NSGA-II has the larger hypervolume").isGreaterThanOrEqualTo(SEEDS.length - 2);
        assertThat(nsgaFound).as("seeds where NSGA-II found the best grouping").isGreaterThanOrEqualTo(randomFound + 3);
        assertThat(nsgaTotal).as("total hypervolume").isGreaterThan(1.15 * randomTotal);
    }

    @Test
    void laterGenerationsImproveOnTheFirst() {
        for (long seed : SEEDS) {
            List<Evaluated> history = run(Sampler.nsga2(Fixtures.space(), Fixtures.TASKS, seed, PER_GENERATION));
            double first = hypervolume(history.subList(0, PER_GENERATION));
            assertThat(hypervolume(history)).as("seed %d", seed).isGreaterThan(first);
        }
    }
}
