package dev.chorus.study;

import dev.chorus.config.ChorusConfig;
import dev.chorus.config.OwnFiles;
import dev.chorus.error.ConflictException;
import dev.chorus.error.StudyNotFoundException;
import dev.chorus.error.ValidationException;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.data.DataRoots;
import dev.chorus.search.AffinityGroupings;
import dev.chorus.spec.SpecException;
import dev.chorus.spec.SpecParser;
import dev.chorus.spec.StudySpec;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The life of studies: creation from a search-space file and the user's start, pause and cancel.
 * Owns the transactions of those changes. Thread-safe.
 */
@ApplicationScoped
public class StudyService {

    private final StudyStore studies;
    private final TrialStore trials;
    private final InstantSource clock;
    private final ChorusConfig config;
    private final StudyData data;
    private final Map<Long, Definition> definitions = new ConcurrentHashMap<>();

    StudyService(StudyStore studies, TrialStore trials, InstantSource clock, ChorusConfig config, StudyData data) {
        this.studies = studies;
        this.trials = trials;
        this.clock = clock;
        this.config = config;
        this.data = data;
    }

    /**
     * Validates a search-space file, with its data files (inside {@link #dataRoots()}, and loaded), and
     * stores it, verbatim, as a new study in state created.
     *
     * @param baseDir what relative paths in the file (a CSV dataset) are resolved against
     * @throws SpecException listing every problem of the file, with lines
     */
    @Transactional
    public Study create(String yaml, Path baseDir) {
        StudySpec spec = SpecParser.parseNew(yaml, baseDir, dataRoots());
        Study study = studies.create(new StudyStore.NewStudy(spec.name(), yaml, baseDir.toAbsolutePath().toString(),
                spec.seed(), spec.sampler().name().toLowerCase(Locale.ROOT), spec.budget().maxTrials(),
                spec.budget().maxWallClock().toSeconds(), spec.tasks()), clock.instant());
        definitions.put(study.id(), new Definition(study.specYaml(), study.baseDir(), spec));
        return study;
    }

    /**
     * The folders new studies' data files must lie in ({@code chorus.data.roots}), less Chorus's own
     * files ({@link OwnFiles}) whatever the roots say.
     */
    public DataRoots dataRoots() {
        return DataRoots.of(config.data().roots(), OwnFiles.of(config));
    }

    public Study get(long id) {
        return studies.find(id).orElseThrow(() -> new StudyNotFoundException("no study with id " + id));
    }

    /** A trial with its results. @throws StudyNotFoundException when there is none with this id */
    public Trial trial(long id) {
        return trials.find(id).orElseThrow(() -> new StudyNotFoundException("no trial with id " + id));
    }

    public List<Study> list() {
        return studies.list();
    }

    /** Up to {@code limit} studies created before study {@code belowId} (ids below it), newest first. */
    public List<Study> list(long belowId, int limit) {
        return studies.list(belowId, limit);
    }

    /** How many studies there are. */
    public int count() {
        return studies.count();
    }

    /**
     * A study's stored task affinity (TAG warm start) with its tasks and the groupings derived from it.
     *
     * @param tasks     task names, the matrix's order
     * @param affinity  {@code affinity[i][j]}: the lookahead effect of a step on task i on task j's loss
     * @param groupings the best groupings by TAG's score, best first, as per-task group labels
     */
    public record Affinity(List<String> tasks, double[][] affinity, List<List<Integer>> groupings) {
    }

    /**
     * The task affinity stored with a study.
     *
     * @throws StudyNotFoundException when there is no such study, or it has no affinity (yet)
     */
    public Affinity affinity(long id) {
        get(id);
        StudySpec spec = spec(id);
        double[][] matrix = studies.affinity(id).orElseThrow(() -> new StudyNotFoundException("study " + id
                + " has no task affinity: " + (spec.warmStart().affinity()
                        ? "it is measured when the study's first generation is proposed"
                        : "its search-space file does not set search.warm-start: affinity")));
        return new Affinity(spec.tasks().stream().map(Task::name).toList(), matrix,
                groupings(spec, matrix));
    }

    /** The groupings that seed a warm-started study's generation 0: the population's worth of the best. */
    public static List<List<Integer>> groupings(StudySpec spec, double[][] affinity) {
        return AffinityGroupings.best(affinity, spec.space().maxGroups(), spec.population());
    }

    /** The parsed definition of a stored study (parsed once, then cached). */
    public StudySpec spec(long id) {
        return definition(id).spec();
    }

    /**
     * What a study was created from, which never changes: its search-space file as given, the folder its
     * relative paths resolve against, and the file parsed.
     */
    public record Definition(String specYaml, String baseDir, StudySpec spec) {
    }

    /** A study's definition, read and parsed once per process. */
    public Definition definition(long id) {
        return definitions.computeIfAbsent(id, k -> {
            Study s = get(k);
            return new Definition(s.specYaml(), s.baseDir(), SpecParser.parse(s.specYaml(), Path.of(s.baseDir())));
        });
    }

    /**
     * The study's cross-validation folds as its runs use them ({@link Replicates#folds}): k, or 0 when
     * every run tests on the stored split's test rows. Loads the study's rows once per process, and
     * stores its split if none is stored yet (the split follows from the seed alone, so storing it
     * early changes nothing).
     */
    public int folds(long id) {
        return data.of(id, spec(id)).folds();
    }

    /**
     * How far a study has come: finished trials of the budget and the best Δm so far.
     *
     * @param bestTrial number of the trial with the best Δm, or -1 when none is complete
     */
    public record Progress(StudyState state, int finished, int budget, double bestDeltaM, int bestTrial) {
    }

    public Progress progress(long id) {
        Study study = get(id);
        return progress(id, study.state(), study.maxTrials(), trials.counts(id));
    }

    /** As {@link #progress(long)}, of a study the caller has just read. */
    public Progress progress(Study study) {
        return progress(study, trials.counts(study.id()));
    }

    /** As {@link #progress(long)}, of a study and its trial counts the caller has just read. */
    public Progress progress(Study study, TrialStore.Counts counts) {
        return progress(study.id(), study.state(), study.maxTrials(), counts);
    }

    /**
     * A running study's progress without reading its row: the state as running and the budget as its
     * definition says (a trial's completion logs this).
     */
    public Progress progress(long id, StudySpec spec) {
        return progress(id, StudyState.RUNNING, spec.budget().maxTrials(), trials.counts(id));
    }

    private Progress progress(long id, StudyState state, int budget, TrialStore.Counts counts) {
        Trial best = trials.best(id).orElse(null);
        return new Progress(state, counts.total() - counts.open(), budget,
                best == null ? Double.NaN : best.deltaM(), best == null ? -1 : best.number());
    }

    /**
     * Adds a person's candidate to a study as a waiting trial of the current generation, so the
     * sampler counts it as part of the population once it completes.
     *
     * @throws ValidationException when the candidate is outside the study's search space
     * @throws IllegalStateException when the study is finished, its trial budget is spent, or the same
     *     candidate was already tried
     */
    @Transactional
    public Trial submit(long id, UserCandidate request) {
        Study study = get(id);
        if (study.state().isFinished()) {
            throw new ConflictException("study " + id + " is " + study.state().id() + "; candidates can be "
                    + "added to created, running or paused studies");
        }
        Candidate candidate = CandidateRequests.toCandidate(request, spec(id));
        TrialStore.Counts counts = trials.counts(id);
        if (counts.total() >= study.maxTrials()) {
            throw new ConflictException("study " + id + " has used its budget of " + study.maxTrials()
                    + " trials");
        }
        trials.firstRun(id, candidate).ifPresent(first -> {
            throw new ConflictException("trial " + first.number() + " of study " + id + " already has this candidate");
        });
        return trials.insert(id, Math.max(0, counts.maxGeneration()), List.of(candidate), study.maxTrials(),
                clock.instant()).stream().findFirst().orElseThrow(() -> new ConflictException("study " + id
                + " has used its budget of " + study.maxTrials() + " trials"));
    }

    /** Starts a created study or resumes a paused one. */
    @Transactional
    public Study start(long id) {
        return move(id, StudyState.RUNNING, null);
    }

    /** Pauses a running study: no new trials are claimed; running ones finish. */
    @Transactional
    public Study pause(long id) {
        return move(id, StudyState.PAUSED, null);
    }

    /** Cancels a study for good; its waiting trials are failed, running ones finish. */
    @Transactional
    public Study cancel(long id) {
        Study study = move(id, StudyState.CANCELLED, null);
        trials.failWaiting(id, "study cancelled before this trial ran", clock.instant());
        return study;
    }

    /**
     * Moves a study to {@code to} on behalf of the user or the coordinator.
     *
     * @throws IllegalStateException when the study's state does not allow that move; the message
     *     says from which state to which and what is allowed
     */
    Study move(long id, StudyState to, String error) {
        Study study = get(id);
        // a move can lose a race (a cancel against the coordinator completing the study): read the state again
        for (int attempt = 0; attempt < 3 && study.state() != to && study.state().canMoveTo(to); attempt++) {
            if (studies.transition(id, study.state(), to, error, clock.instant())) {
                return get(id);
            }
            study = get(id);
        }
        if (study.state() == to) {
            return study;
        }
        throw new ConflictException("study " + id + " is " + study.state().id() + " and cannot become "
                + to.id() + "; from " + study.state().id() + " it can become: "
                + (study.state().allowedNext().isEmpty() ? "nothing (it is finished)"
                : study.state().allowedNext().stream().map(StudyState::id).toList()));
    }
}
