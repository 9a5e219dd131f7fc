package dev.chorus.report;

import dev.chorus.report.ParetoReport.Finding;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * Which tasks hurt which, read off the complete trials: task B suffers from task A when B's delta
 * against its baseline on the held-out test split is lower, on average, in the trials where A and B
 * share a model than in those where they do not. A statement of effect, so it reads test metrics; no
 * choice depends on it. Pure function of the trials.
 *
 * <p>A pair is listed when B's mean together is below zero and at least {@link #MIN_GAP} points below
 * its mean apart. It is a significant finding only when the 95 % Welch interval of the difference
 * (apart − together, see {@link WelchDifference}) lies wholly above zero; with fewer than
 * {@link #MIN_TRIALS} trials on a side there is no interval and the pair is not significant.
 *
 * <p>Trials are {@linkplain #add added} one at a time and summed up as they come (count, mean, variance per
 * pair and side), so a study of any size is read a chunk at a time. Not thread-safe.
 */
final class NegativeTransfer {

    /** Fewest trials on each side of a comparison for it to have an interval, and so to be significant. */
    static final int MIN_TRIALS = 2;
    /** Smallest gap, in percentage points of delta, reported. */
    static final double MIN_GAP = 1.0;

    private final List<String> tasks;
    /** Victim {@code b}'s test deltas by source {@code a}: {@code [a][b][0]} apart, {@code [a][b][1]} together. */
    private final SummaryStatistics[][][] deltas;

    /** @param tasks the study's tasks, in the order of a candidate's groups */
    NegativeTransfer(List<String> tasks) {
        this.tasks = List.copyOf(tasks);
        int n = tasks.size();
        deltas = new SummaryStatistics[n][n][2];
        for (SummaryStatistics[][] bySource : deltas) {
            for (SummaryStatistics[] byVictim : bySource) {
                byVictim[0] = new SummaryStatistics();
                byVictim[1] = new SummaryStatistics();
            }
        }
    }

    /**
     * The harmful-looking pairs of {@code tasks}, significant ones first, then by decreasing gap.
     *
     * @param tasks  the study's tasks, in the order of a candidate's groups
     * @param trials any trials; only complete ones count
     */
    static List<Finding> of(List<String> tasks, List<Trial> trials) {
        NegativeTransfer transfer = new NegativeTransfer(tasks);
        trials.forEach(transfer::add);
        return transfer.findings();
    }

    /** Counts one trial; only a complete one counts. */
    void add(Trial t) {
        if (t.state() != TrialState.COMPLETE) {
            return;
        }
        for (int b = 0; b < tasks.size(); b++) {
            Double delta = delta(t, tasks.get(b));
            if (delta == null) {
                continue;
            }
            if (!Double.isFinite(delta)) {
                throw new IllegalArgumentException("trial " + t.number() + "'s test delta of " + tasks.get(b)
                        + " is not finite: " + delta);
            }
            for (int a = 0; a < tasks.size(); a++) {
                if (a != b) {
                    boolean shared = t.candidate().groups().get(a).equals(t.candidate().groups().get(b));
                    deltas[a][b][shared ? 1 : 0].addValue(delta);
                }
            }
        }
    }

    /** The findings over the trials added so far, significant ones first, then by decreasing gap. */
    List<Finding> findings() {
        List<Finding> out = new ArrayList<>();
        for (int a = 0; a < tasks.size(); a++) {
            for (int b = 0; b < tasks.size(); b++) {
                if (a != b) {
                    finding(tasks.get(a), tasks.get(b), deltas[a][b][1], deltas[a][b][0]).ifPresent(out::add);
                }
            }
        }
        out.sort(Comparator.comparing(Finding::significant).reversed()
                .thenComparing(Comparator.comparingDouble(Finding::difference).reversed()));
        return out;
    }

    /** The finding for one ordered pair, or empty when the victim does not look worse off together. */
    private static Optional<Finding> finding(String source, String victim, SummaryStatistics with,
                                             SummaryStatistics without) {
        if (with.getN() == 0 || without.getN() == 0) {
            return Optional.empty();
        }
        double meanWith = with.getMean();
        double meanWithout = without.getMean();
        if (meanWith >= 0 || meanWithout - meanWith < MIN_GAP) {
            return Optional.empty();
        }
        Optional<WelchDifference> welch = WelchDifference.of(without, with);
        return Optional.of(new Finding(source, victim, meanWith, meanWithout, (int) with.getN(), (int) without.getN(),
                meanWithout - meanWith, welch.map(WelchDifference::low).orElse(null),
                welch.map(WelchDifference::high).orElse(null), welch.map(WelchDifference::degreesOfFreedom).orElse(null),
                welch.filter(w -> w.low() > 0).isPresent()));
    }

    private static Double delta(Trial t, String task) {
        return t.results().stream().filter(r -> r.task().equals(task)).map(r -> r.test().delta()).findFirst().orElse(null);
    }
}
