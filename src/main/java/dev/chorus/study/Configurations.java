package dev.chorus.study;

import dev.chorus.spec.StudySpec;
import dev.chorus.trial.References;
import dev.chorus.trial.Runs;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Reads a study's configurations with their runs, for the choices made over them: each task's tuned
 * single-task reference. Reads only, in the caller's transaction when there is one; thread-safe.
 */
@ApplicationScoped
public class Configurations {

    private final TrialStore trials;

    Configurations(TrialStore trials) {
        this.trials = trials;
    }

    /**
     * Each task's reference among the study's settled configurations (a complete first run whose repeats
     * have all finished) that train some task alone, with {@code evaluation.repeats} complete runs. Reads every finished trial of the study: linear in
     * its size.
     */
    public References references(long studyId, StudySpec spec) {
        List<Trial> firsts = trials.listFinished(studyId).stream()
                .filter(t -> !t.isRepeat() && t.state() == TrialState.COMPLETE && !t.results().isEmpty())
                .filter(t -> anyAlone(t, spec)).toList();
        Map<Long, List<Trial>> repeats = Runs.byFirstRun(trials.repeats(firsts.stream().map(Trial::id).toList()));
        List<Runs> settled = firsts.stream()
                .filter(f -> repeats.getOrDefault(f.id(), List.of()).stream().allMatch(r -> r.state().isFinished()))
                .map(f -> Runs.of(f, repeats.getOrDefault(f.id(), List.of()))).toList();
        return References.choose(spec.tasks(), settled, spec.evaluation().repeats());
    }

    /** Whether some task has a model of its own in the trial's candidate. */
    static boolean anyAlone(Trial trial, StudySpec spec) {
        return IntStream.range(0, spec.tasks().size()).anyMatch(i -> References.alone(trial.candidate(), i));
    }
}
