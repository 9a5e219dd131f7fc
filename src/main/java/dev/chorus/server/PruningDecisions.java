package dev.chorus.server;

import dev.chorus.mtl.Task;
import dev.chorus.search.Pruner;
import dev.chorus.spec.StudySpec;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers "should this trial stop?" after each reported epoch: the study's pruner compares the
 * reported tasks' validation values so far with the same tasks' values in the study's finished
 * trials at the same epoch. A trial trains its models one after another, so the reported tasks are
 * one model's.
 *
 * @implNote Thread-safe. Finished curves are cached per study and reloaded when the number of
 *     finished trials changes.
 */
@ApplicationScoped
class PruningDecisions {

    private final TrialStore trials;
    private final Map<Long, Curves> cache = new ConcurrentHashMap<>();

    PruningDecisions(TrialStore trials) {
        this.trials = trials;
    }

    private record Curves(int finished, Map<Long, List<Map<String, Double>>> byTrial) {
    }

    boolean shouldPrune(Trial trial, StudySpec spec, int step, Set<String> reported) {
        if (spec.schedule().pruner() == StudySpec.PrunerKind.NONE || trial.isRepeat() || trial.isVariant()) {
            // a repeat is never pruned: dropping a configuration's poor draws would bias its mean upwards;
            // nor a stability variant: the check compares it with the recommendation run for run
            return false;
        }
        Pruner pruner = spec.schedule().pruner().pruner();
        List<Task> tasks = spec.tasks().stream().filter(t -> reported.contains(t.name())).toList();
        List<Map<String, Double>> own = trials.intermediate(trial.id());
        List<double[]> mine = adjusted(tasks, own.subList(0, Math.min(step + 1, own.size())));
        List<List<double[]>> others = finished(trial.studyId()).byTrial().values().stream()
                .map(curve -> adjusted(tasks, curve)).toList();
        return pruner.prune(step, mine, others);
    }

    private Curves finished(long studyId) {
        TrialStore.Counts counts = trials.counts(studyId);
        int finished = counts.of(TrialState.COMPLETE) + counts.of(TrialState.PRUNED);
        return cache.compute(studyId, (id, cached) -> cached != null && cached.finished() == finished ? cached
                : new Curves(finished, trials.intermediateCurves(id)));
    }

    /** Per epoch, the tasks' values flipped so larger is better; a curve stops where a task is missing. */
    static List<double[]> adjusted(List<Task> tasks, List<Map<String, Double>> curve) {
        List<double[]> out = new ArrayList<>();
        for (Map<String, Double> step : curve) {
            double[] v = new double[tasks.size()];
            for (int i = 0; i < v.length; i++) {
                Double value = step.get(tasks.get(i).name());
                if (value == null) {
                    return out;
                }
                v[i] = tasks.get(i).direction().sign() * value;
            }
            out.add(v);
        }
        return out;
    }
}
