package dev.chorus.report;

import dev.chorus.report.ParetoReport.Finding;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which tasks hurt which, read off the complete trials: task B suffers from task A when B's delta
 * against its baseline on the held-out test split is lower, on average, in the trials where A and B
 * share a model than in those where they do not. A statement of effect, so it reads test metrics; no
 * choice depends on it. Pure function of the trials.
 */
final class NegativeTransfer {

    /** Fewest trials on each side of a comparison for it to count as a finding. */
    static final int MIN_TRIALS = 2;
    /** Smallest gap, in percentage points of delta, reported. */
    static final double MIN_GAP = 1.0;

    private NegativeTransfer() {
    }

    static List<Finding> of(List<String> tasks, List<Trial> trials) {
        List<Trial> complete = trials.stream().filter(t -> t.state() == TrialState.COMPLETE).toList();
        List<Finding> out = new ArrayList<>();
        for (int a = 0; a < tasks.size(); a++) {
            for (int b = 0; b < tasks.size(); b++) {
                if (a == b) {
                    continue;
                }
                double sumWith = 0;
                double sumWithout = 0;
                int with = 0;
                int without = 0;
                for (Trial t : complete) {
                    Double delta = delta(t, tasks.get(b));
                    if (delta == null) {
                        continue;
                    }
                    if (t.candidate().groups().get(a).equals(t.candidate().groups().get(b))) {
                        sumWith += delta;
                        with++;
                    } else {
                        sumWithout += delta;
                        without++;
                    }
                }
                if (with >= MIN_TRIALS && without >= MIN_TRIALS) {
                    double meanWith = sumWith / with;
                    double meanWithout = sumWithout / without;
                    if (meanWith < 0 && meanWithout - meanWith >= MIN_GAP) {
                        out.add(new Finding(tasks.get(a), tasks.get(b), meanWith, meanWithout, with, without));
                    }
                }
            }
        }
        out.sort(Comparator.comparingDouble((Finding f) -> f.withSource() - f.withoutSource()));
        return out;
    }

    private static Double delta(Trial t, String task) {
        return t.results().stream().filter(r -> r.task().equals(task)).map(r -> r.test().delta()).findFirst().orElse(null);
    }
}
