package dev.chorus.study;

import dev.chorus.mtl.Task;
import dev.chorus.search.Evaluated;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A trial's objective vector: each task's metric in study order, flipped so larger is better, then
 * minus the number of models when the study minimises it. Every objective is maximised.
 */
final class Objectives {

    private Objectives() {
    }

    static int count(StudySpec spec) {
        return spec.tasks().size() + (spec.modelsObjective() ? 1 : 0);
    }

    /** The objectives of a complete trial. */
    static double[] of(StudySpec spec, Trial trial) {
        Map<String, TaskResult> byTask = trial.results().stream()
                .collect(Collectors.toMap(TaskResult::task, Function.identity()));
        double[] out = new double[count(spec)];
        List<Task> tasks = spec.tasks();
        for (int i = 0; i < tasks.size(); i++) {
            TaskResult r = byTask.get(tasks.get(i).name());
            if (r == null) {
                throw new IllegalStateException("trial " + trial.number() + " has no result for task "
                        + tasks.get(i).name());
            }
            out[i] = tasks.get(i).direction().sign() * r.value();
        }
        if (spec.modelsObjective()) {
            out[tasks.size()] = -trial.candidate().groupCount();
        }
        return out;
    }

    /** Whether a trial is complete and keeps the study's constraints. */
    static boolean feasible(StudySpec spec, Trial trial) {
        return trial.state() == TrialState.COMPLETE && spec.constraints().violations(trial.results()).isEmpty();
    }

    /** A finished trial as the sampler sees it; failed, pruned and unacceptable trials are infeasible. */
    static Evaluated evaluated(StudySpec spec, Trial trial) {
        if (feasible(spec, trial)) {
            return Evaluated.of(trial.candidate(), trial.generation(), of(spec, trial));
        }
        return Evaluated.infeasible(trial.candidate(), trial.generation());
    }
}
