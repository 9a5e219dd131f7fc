package dev.chorus.report;

import dev.chorus.spec.StudySpec;
import dev.chorus.study.Configurations;
import dev.chorus.trial.References;
import dev.chorus.trial.Runs;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Each study's tuned single-task references, as {@link Configurations#references} chooses them, read
 * again only when the study's trial counts changed, and read {@value #CHUNK} first runs at a time so that
 * a study of a million trials never sits in memory whole. Choosing reads every complete first run, which
 * at a million trials takes seconds; every page view and report asks. The counts move whenever the choice
 * can: a trial finishing (the finished states only grow), a repeat or twin added (waiting grows), and they
 * are read before the trials, so a trial finishing in between makes the next call read again.
 *
 * <p>Chunks compose: {@link References#choose} keeps, per task, the best option among those with the most
 * runs, a total order; choosing over one chunk's configurations and the references chosen so far gives
 * the choice over everything read so far.
 *
 * @implNote Thread-safe; holds the references of the last {@value #STUDIES} studies asked about.
 */
final class CachedReferences {

    static final int STUDIES = 64;
    static final int CHUNK = 5_000;

    private final TrialStore trials;
    private final int chunk;
    private final Map<Long, Entry> byStudy = new ConcurrentHashMap<>();

    private record Entry(TrialStore.Counts counts, References references) {
    }

    /** @param chunk first runs read at a time, 1 or more ({@value #CHUNK} in the application) */
    CachedReferences(TrialStore trials, int chunk) {
        this.trials = trials;
        this.chunk = chunk;
    }

    /** The study's references as {@link Configurations#references} chooses them now. */
    References of(long studyId, StudySpec spec) {
        TrialStore.Counts counts = trials.counts(studyId);
        Entry cached = byStudy.get(studyId);
        if (cached != null && cached.counts().equals(counts)) {
            return cached.references();
        }
        References fresh = choose(studyId, spec);
        if (byStudy.size() >= STUDIES) {
            byStudy.clear();
        }
        byStudy.put(studyId, new Entry(counts, fresh));
        return fresh;
    }

    private References choose(long studyId, StudySpec spec) {
        int minRuns = spec.evaluation().repeats();
        References chosen = References.choose(spec.tasks(), List.of(), minRuns);
        Integer after = null;
        while (true) {
            List<Trial> page = trials.page(studyId, new TrialStore.TrialQuery(Set.of(TrialState.COMPLETE),
                    TrialStore.TrialOrder.NUMBER, false, 0, chunk, after, null));
            if (page.isEmpty()) {
                return chosen;
            }
            after = page.getLast().number();
            List<Trial> firsts = page.stream().filter(t -> !t.isRepeat() && !t.results().isEmpty())
                    .filter(t -> IntStream.range(0, spec.tasks().size()).anyMatch(i -> References.alone(t.candidate(), i)))
                    .toList();
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
    }
}
