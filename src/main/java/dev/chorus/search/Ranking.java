package dev.chorus.search;

import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import io.jenetics.ext.moea.Vec;
import io.jenetics.util.ISeq;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * NSGA-II's view of a set of trials (Deb et al. 2002): the non-domination rank of each trial under
 * constraint domination, and its crowding distance within its own front. Infeasible trials form one
 * front after every feasible front, with crowding distance 0.
 *
 * <p>Ranks come from Deb's fast non-dominated sort (the ranks of {@link io.jenetics.ext.moea.Pareto#rank})
 * and distances from {@link io.jenetics.ext.moea.Pareto#crowdingDistance}, applied front by front as in the paper
 * (Jenetics' {@code NSGA2Selector} measures crowding over the whole population at once and knows no
 * feasibility, which is why it is not used directly).
 *
 * @implNote Immutable and thread-safe. Deterministic given the trial order; {@link #canonical} gives
 *     an order that depends only on the multiset of trials. Ranking takes {@code O(n²)} time, and memory
 *     for each dominance relation found.
 */
final class Ranking {

    private static final Comparator<TrainSettings> SETTINGS = Comparator
            .comparingInt(TrainSettings::trunkWidth)
            .thenComparingInt(TrainSettings::trunkDepth)
            .thenComparingDouble(TrainSettings::learningRate)
            .thenComparingInt(TrainSettings::epochs)
            .thenComparingInt(TrainSettings::batchSize);

    /** A total order on trials, so that a multiset of trials has one canonical sequence. */
    static final Comparator<Evaluated> CANONICAL = Comparator
            .comparingInt(Evaluated::generation)
            .thenComparing((Evaluated a, Evaluated b) -> Boolean.compare(a.feasible(), b.feasible()))
            .thenComparing(Ranking::compareObjectives)
            .thenComparing((Evaluated a, Evaluated b) -> compareCandidates(a.candidate(), b.candidate()));

    private final List<Evaluated> trials;
    private final int[] rank;
    private final double[] crowding;

    private Ranking(List<Evaluated> trials) {
        this.trials = List.copyOf(trials);
        this.rank = ranks(this.trials);
        this.crowding = new double[this.trials.size()];
        int fronts = Arrays.stream(rank).max().orElse(-1) + 1;
        for (int f = 0; f < fronts; f++) {
            int front = f;
            int[] members = IntStream.range(0, rank.length).filter(i -> rank[i] == front).toArray();
            if (!this.trials.get(members[0]).feasible()) {
                continue; // the infeasible front: distance 0
            }
            ISeq<Vec<double[]>> points = Arrays.stream(members)
                    .mapToObj(i -> Vec.of(this.trials.get(i).objectives()))
                    .collect(ISeq.toISeq());
            double[] distances = io.jenetics.ext.moea.Pareto.crowdingDistance(points);
            for (int k = 0; k < members.length; k++) {
                crowding[members[k]] = distances[k];
            }
        }
    }

    /**
     * Non-domination ranks under constraint domination by Deb's fast non-dominated sort, comparing each
     * pair once: the ranks of {@link io.jenetics.ext.moea.Pareto#rank} (which {@code RankingTest} checks),
     * at a fraction of its cost, since the archive ranks its members at every truncation.
     */
    private static int[] ranks(List<Evaluated> trials) {
        int n = trials.size();
        int[] dominators = new int[n];
        int[][] dominated = new int[n][];
        int[] dominatedCount = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                int d = Pareto.constrainedDominance(trials.get(i), trials.get(j));
                if (d != 0) {
                    int better = d > 0 ? i : j;
                    int worse = d > 0 ? j : i;
                    if (dominated[better] == null || dominatedCount[better] == dominated[better].length) {
                        dominated[better] = dominated[better] == null ? new int[4]
                                : Arrays.copyOf(dominated[better], 2 * dominated[better].length);
                    }
                    dominated[better][dominatedCount[better]++] = worse;
                    dominators[worse]++;
                }
            }
        }
        int[] rank = new int[n];
        int[] front = IntStream.range(0, n).filter(i -> dominators[i] == 0).toArray();
        for (int r = 0; front.length > 0; r++) {
            int[] next = new int[n];
            int size = 0;
            for (int p : front) {
                rank[p] = r;
                for (int k = 0; k < dominatedCount[p]; k++) {
                    if (--dominators[dominated[p][k]] == 0) {
                        next[size++] = dominated[p][k];
                    }
                }
            }
            front = Arrays.copyOf(next, size);
        }
        return rank;
    }

    /** Ranks the trials in the given order. */
    static Ranking of(List<Evaluated> trials) {
        return new Ranking(trials);
    }

    /** Ranks the trials in their canonical order, so the result depends only on the multiset. */
    static Ranking canonical(List<Evaluated> trials) {
        List<Evaluated> sorted = new ArrayList<>(trials);
        sorted.sort(CANONICAL);
        return new Ranking(sorted);
    }

    int size() {
        return trials.size();
    }

    Evaluated trial(int i) {
        return trials.get(i);
    }

    /** Non-domination rank of trial {@code i}; 0 is the first front. */
    int rank(int i) {
        return rank[i];
    }

    /** Crowding distance of trial {@code i} within its front (infinite at a front's extremes). */
    double crowding(int i) {
        return crowding[i];
    }

    /**
     * The crowded-comparison operator: negative when trial {@code i} is better than {@code j} (lower
     * rank, or the same rank and a larger crowding distance), 0 when neither is.
     */
    int compare(int i, int j) {
        int byRank = Integer.compare(rank[i], rank[j]);
        return byRank != 0 ? byRank : Double.compare(crowding[j], crowding[i]);
    }

    /**
     * All trial indices, best first by the crowded-comparison operator; ties are broken by a shuffle
     * drawn from {@code random}, so that no trial is favoured by its position.
     */
    int[] order(RandomGenerator random) {
        Integer[] idx = IntStream.range(0, size()).boxed().toArray(Integer[]::new);
        for (int i = idx.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return sorted(idx);
    }

    /** All trial indices, best first by the crowded-comparison operator; ties keep the trials' order. */
    int[] order() {
        return sorted(IntStream.range(0, size()).boxed().toArray(Integer[]::new));
    }

    private int[] sorted(Integer[] idx) {
        Arrays.sort(idx, this::compare); // stable: the given order decides ties
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    /** Lexicographic order of the objective vectors, shorter first on a common prefix; copies nothing. */
    private static int compareObjectives(Evaluated a, Evaluated b) {
        for (int i = 0; i < Math.min(a.objectiveCount(), b.objectiveCount()); i++) {
            int c = Double.compare(a.objective(i), b.objective(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.objectiveCount(), b.objectiveCount());
    }

    private static int compareCandidates(Candidate a, Candidate b) {
        int c = compareLists(a.groups(), b.groups(), Integer::compare);
        c = c != 0 ? c : compareLists(a.weights(), b.weights(), Double::compare);
        c = c != 0 ? c : a.weighting().compareTo(b.weighting());
        c = c != 0 ? c : SETTINGS.compare(a.settings(), b.settings());
        c = c != 0 ? c : a.architecture().compareTo(b.architecture());
        c = c != 0 ? c : Integer.compare(a.headDepth(), b.headDepth());
        return c != 0 ? c : Integer.compare(a.experts(), b.experts());
    }

    private static <T> int compareLists(List<T> a, List<T> b, Comparator<? super T> order) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = order.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
