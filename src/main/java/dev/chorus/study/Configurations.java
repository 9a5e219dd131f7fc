package dev.chorus.study;

import dev.chorus.spec.StudySpec;
import dev.chorus.trial.References;
import dev.chorus.trial.Runs;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
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

    /** First runs read at a time: a study of a million trials never sits in memory whole. */
    public static final int CHUNK = 5_000;

    /**
     * Each task's reference among the study's settled configurations (a complete first run whose repeats
     * have all finished) that train some task alone, with {@code evaluation.repeats} complete runs. Reads
     * every finished trial of the study, {@value #CHUNK} at a time: linear in its size.
     */
    public References references(long studyId, StudySpec spec) {
        return references(trials, studyId, spec, CHUNK);
    }

    /**
     * As {@link #references(long, StudySpec)}, reading {@code chunk} finished trials at a time. Chunks
     * compose: {@link References#choose} keeps, per task, the best option among those with the most runs,
     * a total order, so choosing over one chunk's configurations and the references chosen so far gives the
     * choice over everything read so far.
     *
     * @param chunk 1 or more
     */
    public static References references(TrialStore trials, long studyId, StudySpec spec, int chunk) {
        int minRuns = spec.evaluation().repeats();
        References chosen = References.choose(spec.tasks(), List.of(), minRuns);
        int after = -1;
        for (List<Trial> page; !(page = trials.listFinishedAfter(studyId, after, chunk)).isEmpty(); ) {
            after = page.getLast().number();
            List<Trial> firsts = page.stream()
                    .filter(t -> !t.isRepeat() && t.state() == TrialState.COMPLETE && !t.results().isEmpty())
                    .filter(t -> anyAlone(t, spec)).toList();
            Map<Long, List<Trial>> repeats = Runs.byFirstRun(trials.repeats(firsts.stream().map(Trial::id).toList()));
            List<Runs> settled = new ArrayList<>();
            for (var task : spec.tasks()) {
                chosen.of(task.name()).ifPresent(settled::add);
            }
            firsts.stream()
                    .filter(f -> repeats.getOrDefault(f.id(), List.of()).stream().allMatch(r -> r.state().isFinished()))
                    .forEach(f -> settled.add(Runs.of(f, repeats.getOrDefault(f.id(), List.of()))));
            chosen = References.choose(spec.tasks(), settled, minRuns);
        }
        return chosen;
    }

    /** Whether some task has a model of its own in the trial's candidate. */
    static boolean anyAlone(Trial trial, StudySpec spec) {
        return IntStream.range(0, spec.tasks().size()).anyMatch(i -> References.alone(trial.candidate(), i));
    }
}
