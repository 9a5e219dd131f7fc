package dev.chorus.server;

import dev.chorus.dispatch.TrialProtocol.Completion;
import dev.chorus.dispatch.TrialProtocol.NewBaseline;
import dev.chorus.dispatch.TrialProtocol.Result;
import dev.chorus.error.ConflictException;
import dev.chorus.error.UserText;
import dev.chorus.error.ValidationException;
import dev.chorus.mtl.Task;
import dev.chorus.search.Pareto;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.Configurations;
import dev.chorus.study.LogContext;
import dev.chorus.study.Objectives;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyState;
import dev.chorus.trial.Baseline;
import dev.chorus.trial.BaselineStore;
import dev.chorus.trial.ClaimStore;
import dev.chorus.trial.DeltaM;
import dev.chorus.trial.FrontStore;
import dev.chorus.trial.References;
import dev.chorus.trial.Runs;
import dev.chorus.trial.Score;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * Records a finished trial: checks the worker's results against the study, stores the baselines the
 * worker trained, compares every task with its baseline, and stores the results, in one transaction,
 * marked as owed to the study's Pareto front. The front then takes the study's owed completions in one
 * transaction of its own ({@link #takeOwed}): completions that arrive together share one update
 * ({@link FrontBatches}), and a completion returns once its own is in. The front's hypervolume is
 * computed after that commit, by {@link HypervolumeWriter}.
 */
@ApplicationScoped
class TrialRecorder {

    private static final Logger LOG = Logger.getLogger(TrialRecorder.class);

    private final ClaimStore claims;
    private final TrialStore trials;
    private final FrontStore fronts;
    private final BaselineStore baselines;
    private final StudyService studies;
    private final InstantSource clock;
    private final HypervolumeWriter hypervolumes;
    private final FrontBatches batches = new FrontBatches();
    private final CommittedBaselines committed;
    private final KnownReferences references;

    TrialRecorder(ClaimStore claims, TrialStore trials, FrontStore fronts, BaselineStore baselines,
                  StudyService studies, Configurations configurations, InstantSource clock,
                  HypervolumeWriter hypervolumes) {
        this.hypervolumes = hypervolumes;
        this.claims = claims;
        this.trials = trials;
        this.fronts = fronts;
        this.baselines = baselines;
        this.committed = new CommittedBaselines(baselines);
        this.studies = studies;
        this.references = new KnownReferences(configurations, trials);
        this.clock = clock;
    }

    /**
     * @param keys task name to the baseline key of this trial's assignment ({@code BaselineKeys})
     * @return false when {@code claim} no longer holds the running trial (nothing was stored)
     * @throws ValidationException when the results do not name each task of the study once with values
     *     in their metric's range and the assignment's baseline keys ({@link ResultChecks}), or a task's
     *     relative change against its baseline is too large to be a number
     * @throws ConflictException when a baseline comes with other values than those stored under its key
     */
    boolean record(Trial trial, UUID claim, StudySpec spec, Map<String, String> keys, Completion completion) {
        List<String> problems = ResultChecks.problems(spec, completion, keys, hash -> committed.find(hash).isPresent());
        if (!problems.isEmpty()) {
            throw new ValidationException("results of trial " + trial.id(), problems);
        }
        Stored stored = QuarkusTransaction.requiringNew().call(() -> store(trial, claim, spec, completion));
        if (stored == null) {
            return false;
        }
        committed.committed(stored.baselines());
        runEnded(trial, spec);
        try (LogContext context = LogContext.trial(trial.studyId(), trial.number())) {
            if (trial.isVariant()) { // the stability check's: never a candidate of the search
                LOG.infof("Study %d: stability variant trial %d (replicate %d) done, validation Δm %+.2f%% (test %+.2f%%)",
                        trial.studyId(), trial.number(), trial.replicate(), stored.deltaM(), stored.testDeltaM());
                return true;
            }
            batches.await(trial.studyId(), () -> takeOwed(trial.studyId()));
            StudyService.Progress p = studies.progress(trial.studyId(), spec);
            // after max-trials only the confirmation runs repeats; "91/48" would read as a budget overrun
            String progress = trial.isRepeat() && trial.number() >= p.budget()
                    ? String.format(Locale.ROOT, "confirmation run, replicate %d", trial.replicate())
                    : String.format(Locale.ROOT, "%d/%d", p.finished(), p.budget());
            LOG.infof("Study %d: trial %d done (%s), %d model(s), validation Δm %+.2f%% (test %+.2f%%); "
                    + "best validation Δm so far %+.2f%% (trial %d)", trial.studyId(), trial.number(), progress,
                    trial.candidate().groupCount(), stored.deltaM(), stored.testDeltaM(), p.bestDeltaM(), p.bestTrial());
        }
        return true;
    }

    /**
     * Takes every completion owed to a study's front into it ({@link #refreshFront}, one after another in
     * the order they finished) in one transaction under the front's lock, and marks the front changed once.
     * The front is read once and again only after an update that may have changed it.
     * A crash or a failure leaves them owed: the next update, or the next start ({@link #takeOwedAtStart}),
     * takes them.
     */
    void takeOwed(long studyId) {
        QuarkusTransaction.requiringNew().run(() -> {
            fronts.lockFront(studyId);
            List<Long> owed = fronts.owed(studyId);
            if (owed.isEmpty()) {
                return;
            }
            StudySpec spec = studies.spec(studyId);
            FrontRuns front = null; // read again only after something may have changed it
            for (long id : owed) {
                if (front == null) {
                    front = FrontRuns.of(fronts.front(studyId), trials);
                }
                if (refreshFront(studyId, trials.find(id).orElseThrow(), spec, front)) {
                    front = null;
                }
            }
            fronts.paid(owed);
            if (Objectives.count(spec) <= Objectives.MAX_HYPERVOLUME_OBJECTIVES) {
                // every update marks the front, so that the history's last point counts its completions; the
                // hypervolume itself is computed after the commit, off this path
                fronts.markFront(studyId, owed.getLast(), trials.counts(studyId).of(TrialState.COMPLETE),
                        clock.instant());
                hypervolumes.changed(studyId);
            }
        });
    }

    /** Takes the completions a crash (or a failed update) left owed to their study's front. */
    void takeOwedAtStart(@Observes StartupEvent event) {
        List<Long> owed;
        try {
            owed = fronts.studiesOwed();
        } catch (RuntimeException e) {
            LOG.warn("Could not look for completions owed to their studies' fronts; the next completion of each "
                    + "study takes them", e);
            return;
        }
        for (long studyId : owed) {
            try (LogContext context = LogContext.study(studyId)) {
                LOG.infof("Study %d: taking the completions owed to its front (left by a restart or a failed update)",
                        studyId);
                batches.await(studyId, () -> takeOwed(studyId));
            } catch (RuntimeException e) {
                LOG.warnf(e, "Study %d: could not take the completions owed to its front; its next completion "
                        + "takes them", studyId);
            }
        }
    }

    /**
     * Stores the results and the new baselines in the caller's transaction, the trial marked as owed to its
     * study's front. @return its Δm, or null when the claim no longer holds the trial
     */
    private Stored store(Trial trial, UUID claim, StudySpec spec, Completion completion) {
        try (LogContext context = LogContext.trial(trial.studyId(), trial.number())) {
            if (!claims.lockHeld(trial.id(), claim)) {
                return null; // a claim that lost its trial stores nothing, not even baselines
            }
            Map<String, Baseline> used = new HashMap<>();
            for (NewBaseline b : completion.baselines()) {
                Baseline kept = keep(trial, spec.tasks().stream().filter(t -> t.name().equals(b.task())).findFirst()
                        .orElseThrow(), b);
                used.put(kept.hash(), kept);
            }
            List<TaskResult> results = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            for (Task task : spec.tasks()) {
                Result r = completion.results().stream().filter(x -> x.task().equals(task.name())).findFirst().orElseThrow();
                Baseline baseline = used.computeIfAbsent(r.baselineHash(), h -> committed.find(h).orElseThrow());
                TaskResult result = new TaskResult(task.name(), Score.of(r.validation(), baseline.validation(),
                        task.direction()), Score.of(r.test(), baseline.test(), task.direction()), baseline.hash());
                comparable(problems, task, "validation", result.validation());
                comparable(problems, task, "test", result.test());
                results.add(result);
            }
            double deltaM = DeltaM.of(results);
            double testDeltaM = DeltaM.ofTest(results);
            if (problems.isEmpty() && (!Double.isFinite(deltaM) || !Double.isFinite(testDeltaM))) {
                problems.add("results: the mean relative change over the tasks is too large to be a number");
            }
            if (!problems.isEmpty()) {
                throw new ValidationException("results of trial " + trial.id(), problems);
            }
            if (!claims.complete(trial.id(), claim, results, deltaM, testDeltaM, clock.instant())) {
                return null;
            }
            return new Stored(deltaM, testDeltaM, List.copyOf(used.values()));
        }
    }

    /**
     * Stores a baseline the worker sent under its key, or checks it against the one stored there: the
     * same values again are fine (two workers trained it at once); other values are refused and logged.
     */
    private Baseline keep(Trial trial, Task task, NewBaseline b) {
        Baseline sent = new Baseline(b.hash(), task.name(), task.metric(), b.validation(), b.test(), b.settings(),
                b.trainSeconds(), clock.instant());
        Optional<Baseline> before = committed.find(b.hash());
        Baseline stored = before.orElseGet(() -> baselines.save(sent));
        if (!stored.sameValues(sent)) {
            LOG.warnf("Study %d: trial %d (worker %s) sent baseline %s of task %s with %s %s on validation and %s on "
                    + "test; stored are %s and %s; refused", trial.studyId(), trial.number(),
                    UserText.loggable(trial.worker()), b.hash(), task.name(), task.metric().id(), sent.validation(),
                    sent.test(), stored.validation(), stored.test());
            throw new ConflictException("baseline " + b.hash() + " of task " + task.name() + " is stored with "
                    + task.metric().id() + " " + stored.validation() + " on validation and " + stored.test()
                    + " on test; this trial sent " + sent.validation() + " and " + sent.test() + ". A stored baseline "
                    + "is never replaced: leave it out of baselines[] (GET /api/baselines/{hash} reads it) or send "
                    + "the stored values");
        }
        if (before.isEmpty()) {
            LOG.infof("Baseline for task %s trained alone: %s %.4f on validation, %.4f on test (%.1f s)",
                    task.name(), task.metric().id(), b.validation(), b.test(), b.trainSeconds());
        }
        return stored;
    }

    /** A task's relative change against its baseline must be a number (a tiny baseline could make it overflow). */
    private static void comparable(List<String> problems, Task task, String split, Score score) {
        if (!Double.isFinite(score.delta())) {
            problems.add("results: task " + task.name() + "'s " + task.metric().id() + " on " + split + ", "
                    + score.value() + ", against its baseline's " + score.baseline() + " is a relative change too "
                    + "large to be a number; check both values");
        }
    }

    /**
     * Updates the study's Pareto front after {@code trialId} completed, in the caller's transaction, racing
     * challengers as SMAC's intensifier does. The front holds configurations (by their first run), judged by
     * the means over their complete runs ({@link Runs}), and kept among the acceptable ones (complete,
     * within the constraints), or among all complete ones while none is acceptable.
     * <ul>
     *   <li>Without repeats ({@code evaluation.repeats: 1}) the update is incremental: the front of the
     *       trials so far plus one is the non-dominated part of the old front plus that one.</li>
     *   <li>With repeats, a first run that no front member and no configuration still racing dominates
     *       does not enter: its repeats are added (as many as the trial budget allows) and it competes
     *       once they have all finished, with as many runs as the members it would displace.</li>
     *   <li>When the last repeat of a configuration finishes, it competes with the front on its means
     *       ({@link #settled}); a member of the new front with fewer runs than the study asks races first,
     *       while the budget allows, and the front is then recomputed from every settled configuration.</li>
     * </ul>
     */
    private boolean refreshFront(long studyId, Trial added, StudySpec spec, FrontRuns current) {
        List<Trial> before = current.firsts();
        if (before.stream().anyMatch(t -> t.id() == added.id())) {
            return false; // a recomputation (settle) took it in before its own update came
        }
        Map<Long, List<Trial>> beforeRuns = current.runs();
        List<Trial> beforeMeans = current.means();
        List<Trial> updated = null;
        if (added.isRepeat()) {
            List<Trial> own = trials.repeats(List.of(added.repeatOf()));
            if (own.stream().allMatch(t -> t.state().isFinished())) {
                updated = settled(studyId, spec, before, beforeRuns, beforeMeans, added.repeatOf(), own);
            }
        } else if (spec.evaluation().repeats() == 1) {
            List<Trial> candidates = new ArrayList<>(beforeMeans);
            candidates.add(added);
            updated = nonDominated(spec, candidates);
        } else {
            List<Trial> rivals = new ArrayList<>(beforeMeans);
            rivals.addAll(means(trials.racing(studyId)));
            rivals.add(added);
            if (nonDominated(spec, rivals).stream().anyMatch(t -> t.id() == added.id())) {
                if (!race(studyId, spec, added, "would enter the front")) {
                    rivals = new ArrayList<>(beforeMeans); // no budget left to race: it competes on one run
                    rivals.add(added);
                    updated = nonDominated(spec, rivals);
                }
            } else if (challengesReference(studyId, spec, added)) {
                race(studyId, spec, added, "would become a task's single-task reference");
            }
        }
        boolean changed = updated != null
                && !updated.stream().map(Trial::id).toList().equals(before.stream().map(Trial::id).toList());
        if (changed) {
            fronts.replaceFront(studyId, updated.stream().map(Trial::id).toList());
        }
        return changed || added.isRepeat(); // a repeat may have raced a member or added to its runs
    }

    /**
     * The front once the configuration of first run {@code firstId} settled (its last repeat finished).
     * The front is the non-dominated part of the settled configurations, and a racing one is not among
     * them: while this one raced it kept nothing off the front. So when every member is settled and this
     * one was not a member, the front with it is the non-dominated part of the old front plus its means,
     * read from the front alone rather than from the whole study. A member of that front with fewer runs
     * than the study asks races first, as {@link #recompute} would send it; when it does (it leaves the
     * settled ones), when this one was a member (confirmed on more runs, its means may have fallen), or
     * when a member has runs open, the front is recomputed from every settled configuration.
     */
    private List<Trial> settled(long studyId, StudySpec spec, List<Trial> before, Map<Long, List<Trial>> beforeRuns,
                                List<Trial> beforeMeans, long firstId, List<Trial> own) {
        boolean open = beforeRuns.values().stream().flatMap(List::stream).anyMatch(t -> !t.state().isFinished());
        Trial first = trials.find(firstId).orElseThrow();
        if (open || before.stream().anyMatch(t -> t.id() == firstId) || first.state() != TrialState.COMPLETE
                || first.results().isEmpty()) {
            return recompute(studyId, spec);
        }
        List<Trial> candidates = new ArrayList<>(beforeMeans);
        candidates.add(Runs.of(first, own).mean());
        List<Trial> front = nonDominated(spec, candidates);
        Map<Long, List<Trial>> runs = new HashMap<>(beforeRuns);
        runs.put(firstId, own);
        Map<Long, Trial> firsts = new HashMap<>();
        before.forEach(t -> firsts.put(t.id(), t));
        firsts.put(firstId, first);
        List<Trial> rivals = new ArrayList<>(front);
        rivals.addAll(means(trials.racing(studyId)));
        Set<Long> members = new HashSet<>(front.stream().map(Trial::id).toList());
        for (Trial t : nonDominated(spec, rivals)) {
            if (members.contains(t.id()) && complete(t, runs) < spec.evaluation().repeats()
                    && race(studyId, spec, firsts.get(t.id()), "is on the front with fewer runs than the study asks")) {
                return recompute(studyId, spec);
            }
        }
        return front;
    }

    /**
     * Whether a first run that trains some task alone beats that task's reference on validation on its one
     * run: it races then, so that a reference rests on as many runs, on the same replicates, as the
     * configurations compared with it.
     */
    private boolean challengesReference(long studyId, StudySpec spec, Trial first) {
        boolean aloneAndAhead = IntStream.range(0, spec.tasks().size())
                .anyMatch(i -> References.alone(first.candidate(), i)
                        && first.results().stream().anyMatch(r -> r.task().equals(spec.tasks().get(i).name())
                                && r.validation().delta() > 0));
        return aloneAndAhead && !references.of(studyId, spec).challenged(first).isEmpty();
    }

    /** The study's references as the completion path knows them ({@link KnownReferences}). */
    References references(long studyId, StudySpec spec) {
        return references.of(studyId, spec);
    }

    /**
     * Says that a trial of the study ended (committed): a repeat, or any trial where the study asks one
     * run, may change the study's references.
     */
    void runEnded(Trial trial, StudySpec spec) {
        if (trial.isRepeat() || spec.evaluation().repeats() <= 1) {
            references.changed(trial.studyId());
        }
    }

    /** Leases ran out: runs may have failed in any study. */
    void leasesExpired() {
        references.forgetAll();
    }

    /**
     * Adds the repeats a configuration lacks, as many as the trial budget allows.
     * @param why what it races for, for the log
     * @return false when none could be added (the budget is spent or it has all its runs)
     */
    private boolean race(long studyId, StudySpec spec, Trial first, String why) {
        if (studies.get(studyId).state() != StudyState.RUNNING) {
            return false; // a stopped study runs nothing more: it competes on the runs it has
        }
        List<Trial> repeats = trials.repeats(List.of(first.id()));
        long lost = repeats.stream().filter(t -> t.state() == TrialState.FAILED || t.state() == TrialState.PRUNED).count();
        if (lost >= spec.evaluation().repeats()) {
            return false; // as many repeats lost as it asks for: racing it again would only burn budget
        }
        int held = (first.state() == TrialState.COMPLETE ? 1 : 0) + (int) (repeats.size() - lost);
        int count = spec.evaluation().repeats() - held;
        if (count <= 0) {
            return false;
        }
        List<Trial> added = trials.insertRepeats(first, count, spec.budget().maxTrials(), clock.instant());
        if (added.isEmpty()) {
            return false;
        }
        count = added.size();
        LOG.infof("Study %d: trial %d %s; racing it on %d more run(s) first", studyId, first.number(), why, count);
        return true;
    }

    /**
     * The front of every settled configuration (complete first runs whose repeats have all finished), after
     * sending members with fewer complete runs than the study asks to race while the budget allows: who
     * races is decided against settled and racing configurations alike, the front is made of settled ones.
     */
    private List<Trial> recompute(long studyId, StudySpec spec) {
        List<Trial> firsts = trials.listFinished(studyId).stream()
                .filter(t -> !t.isRepeat() && t.state() == TrialState.COMPLETE && !t.results().isEmpty()).toList();
        Map<Long, List<Trial>> repeats = Runs.byFirstRun(trials.repeats(firsts.stream().map(Trial::id).toList()));
        List<Trial> settled = new ArrayList<>();
        for (Trial first : firsts) {
            List<Trial> own = repeats.getOrDefault(first.id(), List.of());
            if (own.stream().allMatch(t -> t.state().isFinished())) {
                settled.add(Runs.of(first, own).mean());
            }
        }
        List<Trial> racing = new ArrayList<>(means(trials.racing(studyId)));
        Set<Long> tried = new HashSet<>();
        while (true) {
            List<Trial> rivals = new ArrayList<>(settled);
            rivals.addAll(racing);
            Trial short1 = nonDominated(spec, rivals).stream()
                    .filter(t -> settled.contains(t) && !tried.contains(t.id()))
                    .filter(t -> complete(t, repeats) < spec.evaluation().repeats()).findFirst().orElse(null);
            if (short1 == null) {
                return nonDominated(spec, settled);
            }
            tried.add(short1.id());
            if (race(studyId, spec, firsts.stream().filter(f -> f.id() == short1.id()).findFirst().orElseThrow(),
                    "is on the front with fewer runs than the study asks")) {
                settled.remove(short1);
                racing.add(short1);
            }
        }
    }

    /** Complete runs of a configuration: its first run and its complete repeats. */
    private static int complete(Trial first, Map<Long, List<Trial>> repeats) {
        return 1 + (int) repeats.getOrDefault(first.id(), List.of()).stream()
                .filter(t -> t.state() == TrialState.COMPLETE).count();
    }

    /**
     * Recomputes a study's front after a configuration's last open repeat ended without completing (failed,
     * pruned, expired) or the study stopped, in a transaction of its own: the completion path does this for
     * repeats that complete.
     */
    void settleAfter(Trial repeat) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (trials.repeats(List.of(repeat.repeatOf())).stream().allMatch(r -> r.state().isFinished())) {
                settle(repeat.studyId());
            }
        });
    }

    /**
     * Recomputes a study's front from its settled configurations, in the caller's transaction (which
     * must not hold the study's row from another connection: the front lock is that row).
     */
    void settle(long studyId) {
        StudySpec spec = studies.spec(studyId);
        fronts.lockFront(studyId);
        List<Trial> updated = recompute(studyId, spec);
        List<Long> ids = updated.stream().map(Trial::id).toList();
        if (!ids.equals(fronts.front(studyId).stream().map(Trial::id).toList())) {
            fronts.replaceFront(studyId, ids);
            fronts.markFront(studyId, clock.instant());
            hypervolumes.changed(studyId);
            LOG.infof("Study %d: front recomputed after a configuration settled: %d member(s)", studyId, ids.size());
        }
    }

    /** Front members with the means over their complete runs. */
    private List<Trial> means(List<Trial> firsts) {
        return Runs.ofEach(firsts, trials.repeats(firsts.stream().map(Trial::id).toList())).stream()
                .map(Runs::mean).toList();
    }

    /** The non-dominated acceptable trials, or the non-dominated complete ones while none is acceptable. */
    private static List<Trial> nonDominated(StudySpec spec, List<Trial> candidates) {
        List<Trial> acceptable = candidates.stream().filter(t -> Objectives.feasible(spec, t)).toList();
        List<Trial> pool = acceptable.isEmpty() ? candidates : acceptable;
        List<double[]> objectives = pool.stream().map(t -> Objectives.of(spec, t)).toList();
        return Pareto.nonDominated(objectives).stream().map(pool::get).toList();
    }

    /** A completion's Δm on the validation and the test split, as stored, and the baselines it compared with. */
    private record Stored(double deltaM, double testDeltaM, List<Baseline> baselines) {
    }
}
