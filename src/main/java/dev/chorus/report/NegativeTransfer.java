package dev.chorus.report;

import dev.chorus.report.ParetoReport.Finding;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

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
 */
final class NegativeTransfer {

    /** Fewest trials on each side of a comparison for it to have an interval, and so to be significant. */
    static final int MIN_TRIALS = 2;
    /** Smallest gap, in percentage points of delta, reported. */
    static final double MIN_GAP = 1.0;

    private NegativeTransfer() {
    }

    /**
     * The harmful-looking pairs of {@code tasks}, significant ones first, then by decreasing gap.
     *
     * @param tasks  the study's tasks, in the order of a candidate's groups
     * @param trials any trials; only complete ones count
     */
    static List<Finding> of(List<String> tasks, List<Trial> trials) {
        List<Trial> complete = trials.stream().filter(t -> t.state() == TrialState.COMPLETE).toList();
        List<Finding> out = new ArrayList<>();
        for (int a = 0; a < tasks.size(); a++) {
            for (int b = 0; b < tasks.size(); b++) {
                if (a == b) {
                    continue;
                }
                List<Double> with = new ArrayList<>();
                List<Double> without = new ArrayList<>();
                for (Trial t : complete) {
                    Double delta = delta(t, tasks.get(b));
                    if (delta == null) {
                        continue;
                    }
                    boolean shared = t.candidate().groups().get(a).equals(t.candidate().groups().get(b));
                    (shared ? with : without).add(delta);
                }
                finding(tasks.get(a), tasks.get(b), values(with), values(without)).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparing(Finding::significant).reversed()
                .thenComparing(Comparator.comparingDouble(Finding::difference).reversed()));
        return out;
    }

    /** The finding for one ordered pair, or empty when the victim does not look worse off together. */
    private static Optional<Finding> finding(String source, String victim, double[] with, double[] without) {
        if (with.length == 0 || without.length == 0) {
            return Optional.empty();
        }
        double meanWith = mean(with);
        double meanWithout = mean(without);
        if (meanWith >= 0 || meanWithout - meanWith < MIN_GAP) {
            return Optional.empty();
        }
        Optional<WelchDifference> welch = WelchDifference.of(without, with);
        return Optional.of(new Finding(source, victim, meanWith, meanWithout, with.length, without.length,
                meanWithout - meanWith, welch.map(WelchDifference::low).orElse(null),
                welch.map(WelchDifference::high).orElse(null), welch.map(WelchDifference::degreesOfFreedom).orElse(null),
                welch.filter(w -> w.low() > 0).isPresent()));
    }

    private static double[] values(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double mean(double[] xs) {
        double sum = 0;
        for (double x : xs) {
            sum += x;
        }
        return sum / xs.length;
    }

    private static Double delta(Trial t, String task) {
        return t.results().stream().filter(r -> r.task().equals(task)).map(r -> r.test().delta()).findFirst().orElse(null);
    }
}
