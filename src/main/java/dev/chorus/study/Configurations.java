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
        for (List<Trial> page : trials.finishedPages(studyId, chunk)) {
            List<Trial> firsts = page.stream().filter(t -> !t.isRepeat() && mayBeReference(t, spec)).toList();
            Map<Long, List<Trial>> repeats = Runs.byFirstRun(trials.repeats(firsts.stream().map(Trial::id).toList()));
            List<Runs> settled = new ArrayList<>();
            for (var task : spec.tasks()) {
                chosen.of(task.name()).ifPresent(settled::add);
            }
            for (Trial f : firsts) {
                Runs option = option(f, repeats.getOrDefault(f.id(), List.of()), spec);
                if (option != null) {
                    settled.add(option);
                }
            }
            chosen = References.choose(spec.tasks(), settled, minRuns);
        }
        return chosen;
    }

    /**
     * A configuration as an option for its tasks' references: its first run and repeats, or null while it is
     * none (its first run not complete with results, no task alone, or a repeat still open: not settled).
     */
    static Runs option(Trial first, List<Trial> repeats, StudySpec spec) {
        return mayBeReference(first, spec) && repeats.stream().allMatch(r -> r.state().isFinished())
                ? Runs.of(first, repeats) : null;
    }

    /** Whether a first run can make its configuration an option at all: complete with results, some task alone. */
    private static boolean mayBeReference(Trial first, StudySpec spec) {
        return first.state() == TrialState.COMPLETE && !first.results().isEmpty()
                && IntStream.range(0, spec.tasks().size()).anyMatch(i -> References.alone(first.candidate(), i));
    }
}
