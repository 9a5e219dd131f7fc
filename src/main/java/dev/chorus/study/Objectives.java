package dev.chorus.study;

import dev.chorus.mtl.Task;
import dev.chorus.search.Evaluated;
import dev.chorus.spec.StudySpec;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A trial's objective vector: each task's paired delta against its baseline on the validation split, in
 * study order (percent, sign flipped for lower-is-better metrics, so larger is better), then minus the
 * number of models when the study minimises it. Every objective is maximised. The delta, not the raw
 * metric, because runs of one configuration on different replicates score different validation rows
 * against baselines trained on those same rows: only the paired delta compares across replicates (within
 * one replicate it ranks exactly as the metric does). Nothing here reads a test metric: the search
 * chooses on validation only.
 */
public final class Objectives {

    private Objectives() {
    }

    public static int count(StudySpec spec) {
        return spec.tasks().size() + (spec.modelsObjective() ? 1 : 0);
    }

    /** The objectives of a complete trial. */
    public static double[] of(StudySpec spec, Trial trial) {
        double[] out = new double[count(spec)];
        List<Task> tasks = spec.tasks();
        List<TaskResult> results = inStudyOrder(spec, trial);
        for (int i = 0; i < tasks.size(); i++) {
            out[i] = results.get(i).validation().delta();
        }
        if (spec.modelsObjective()) {
            out[tasks.size()] = -trial.candidate().groupCount();
        }
        return out;
    }

    /** Most objectives for which the hypervolume is computed (see {@code search.Hypervolume#estimate}); above, it is not. */
    public static final int MAX_HYPERVOLUME_OBJECTIVES = 7;

    /** A per-task delta below this (in percent) adds nothing to the hypervolume. */
    static final double DELTA_REFERENCE = -100;

    /**
     * The point a trial contributes to the hypervolume: each task's validation delta against its
     * baseline in percent (scale-free, so tasks with different metrics weigh alike), then minus the number of
     * models when the study minimises it: the point {@link #of} ranks by.
     * Public for the report, which reads the front's reference box from these points.
     */
    public static double[] forHypervolume(StudySpec spec, Trial trial) {
        return of(spec, trial);
    }

    /** The hypervolume reference point: -100 % per task, one model more than tasks. */
    public static double[] hypervolumeReference(StudySpec spec) {
        double[] ref = new double[count(spec)];
        Arrays.fill(ref, DELTA_REFERENCE);
        if (spec.modelsObjective()) {
            ref[spec.tasks().size()] = -(spec.tasks().size() + 1);
        }
        return ref;
    }

    /** Whether a trial is complete and keeps the study's constraints. */
    public static boolean feasible(StudySpec spec, Trial trial) {
        return trial.state() == TrialState.COMPLETE && spec.constraints().violations(trial.results()).isEmpty();
    }

    /** A complete trial's results in the study's task order. */
    private static List<TaskResult> inStudyOrder(StudySpec spec, Trial trial) {
        Map<String, TaskResult> byTask = trial.results().stream()
                .collect(Collectors.toMap(TaskResult::task, Function.identity()));
        return spec.tasks().stream().map(t -> {
            TaskResult r = byTask.get(t.name());
            if (r == null) {
                throw new IllegalStateException("trial " + trial.number() + " has no result for task " + t.name());
            }
            return r;
        }).toList();
    }

    /** A finished trial as the sampler sees it; failed, pruned and unacceptable trials are infeasible. */
    public static Evaluated evaluated(StudySpec spec, Trial trial) {
        if (feasible(spec, trial)) {
            return Evaluated.of(trial.candidate(), trial.generation(), of(spec, trial));
        }
        return Evaluated.infeasible(trial.candidate(), trial.generation());
    }
}
