package dev.chorus.server;

import dev.chorus.dispatch.TrialProtocol.Completion;
import dev.chorus.dispatch.TrialProtocol.NewBaseline;
import dev.chorus.dispatch.TrialProtocol.Result;
import dev.chorus.error.ConflictException;
import dev.chorus.error.UserText;
import dev.chorus.error.ValidationException;
import dev.chorus.mtl.Task;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.LogContext;
import dev.chorus.study.Objectives;
import dev.chorus.study.StudyService;
import dev.chorus.trial.Baseline;
import dev.chorus.trial.BaselineStore;
import dev.chorus.trial.ClaimStore;
import dev.chorus.trial.DeltaM;
import dev.chorus.trial.FrontStore;
import dev.chorus.trial.Score;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Records a finished trial: checks the worker's results against the study, stores the baselines the
 * worker trained, compares every task with its baseline, and stores the results, in one transaction,
 * marked as owed to the study's Pareto front. The completion returns then. The study's front writer
 * ({@link StudyDrains}) takes the owed completions afterwards, in one transaction of its own
 * ({@link #takeOwed}, by {@link FrontKeeper}): completions that arrive while it works share its next
 * update. Only once a trial is in the front is its end announced ({@link TrialEnded}) and logged, so the
 * coordinator, which also waits while a study owes its front anything ({@link #owes}), never proposes,
 * confirms or finishes from a front that lacks a completion. The front's hypervolume is computed after
 * that commit, by {@link HypervolumeWriter}.
 *
 * @implNote Thread-safe. The front writers run on a small pool of daemon threads, one drain per study at
 *     a time; {@link #awaitFronts} waits for them (tests, benchmarks).
 */
@ApplicationScoped
class TrialRecorder {

    private static final Logger LOG = Logger.getLogger(TrialRecorder.class);
    /** Studies whose fronts are updated at once; each update is mostly waiting on PostgreSQL. */
    static final int WRITER_THREADS = 2;

    private final ClaimStore claims;
    private final TrialStore trials;
    private final FrontStore fronts;
    private final BaselineStore baselines;
    private final StudyService studies;
    private final InstantSource clock;
    private final HypervolumeWriter hypervolumes;
    private final StudyDrains writers;
    private final Event<TrialEnded> ended;
    private final CommittedBaselines committed;
    private final FrontKeeper keeper;
    private final FrontMembers members;

    TrialRecorder(ClaimStore claims, TrialStore trials, FrontStore fronts, BaselineStore baselines,
                  StudyService studies, FrontKeeper keeper, FrontMembers members, InstantSource clock,
                  HypervolumeWriter hypervolumes, Event<TrialEnded> ended) {
        this.ended = ended;
        this.writers = new StudyDrains("take the completions owed to its front", Executors.newFixedThreadPool(
                WRITER_THREADS, Thread.ofPlatform().name("front-", 0).daemon().factory()), Duration.ZERO,
                this::writeFront);
        this.members = members;
        this.hypervolumes = hypervolumes;
        this.claims = claims;
        this.trials = trials;
        this.fronts = fronts;
        this.baselines = baselines;
        this.committed = new CommittedBaselines(baselines);
        this.studies = studies;
        this.keeper = keeper;
        this.clock = clock;
    }

    /**
     * Stores a completion and returns; its study's front takes it afterwards (see the class comment). A
     * stability variant is never a candidate of the search: its end is announced at once.
     *
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
        if (trial.isVariant()) {
            try (LogContext context = LogContext.trial(trial.studyId(), trial.number())) {
                LOG.infof("Study %d: stability variant trial %d (replicate %d) done, validation Δm %+.2f%% (test %+.2f%%)",
                        trial.studyId(), trial.number(), trial.replicate(), stored.deltaM(), stored.testDeltaM());
            }
            ended.fire(new TrialEnded(trial.studyId(), trial.id()));
        } else {
            writers.submit(trial.studyId());
        }
        return true;
    }

    /**
     * Whether the study's front writer is still taking completions; when it is not but completions are
     * owed (a failed update, a restart, or a completion that has not asked for its update yet), takes them
     * on the caller's thread first. One index probe when the writer is idle.
     */
    boolean owes(long studyId) {
        if (writers.busy(studyId)) {
            return true; // its update announces the trials it takes, which brings the coordinator back
        }
        if (!fronts.owed(studyId).isEmpty()) {
            writeFront(studyId);
        }
        return false;
    }

    /** Waits until no front update is queued or running. @return false when {@code limit} passed first */
    public boolean awaitFronts(Duration limit) throws InterruptedException {
        return writers.awaitIdle(limit);
    }

    /** The front writer's work: takes the owed completions, then announces and logs each. */
    private void writeFront(long studyId) {
        List<Trial> taken = takeOwed(studyId);
        if (taken.isEmpty()) {
            return;
        }
        StudySpec spec = studies.spec(studyId);
        StudyService.Progress p = studies.progress(studyId, spec); // once for the batch's log lines
        for (Trial trial : taken) {
            ended.fire(new TrialEnded(studyId, trial.id()));
            try (LogContext context = LogContext.trial(studyId, trial.number())) {
                // after max-trials only the confirmation runs repeats; "91/48" would read as a budget overrun
                String progress = trial.isRepeat() && trial.number() >= p.budget()
                        ? String.format(Locale.ROOT, "confirmation run, replicate %d", trial.replicate())
                        : String.format(Locale.ROOT, "%d/%d", p.finished(), p.budget());
                LOG.infof("Study %d: trial %d done (%s), %d model(s), validation Δm %+.2f%% (test %+.2f%%); "
                        + "best validation Δm so far %+.2f%% (trial %d)", studyId, trial.number(), progress,
                        trial.candidate().groupCount(), trial.deltaM(), trial.testDeltaM(), p.bestDeltaM(),
                        p.bestTrial());
            }
        }
    }

    /** Lets the front updates under way finish before the datasource closes; the rest are taken at the next start. */
    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        writers.shutdown();
    }

    /**
     * Takes every completion owed to a study's front into it ({@link FrontKeeper#refresh}, one after another in
     * the order they finished) in one transaction under the front's lock, and marks the front changed once.
     * The front is read once and again only after an update that may have changed it. An owed trial that
     * cannot join (not complete with results, a variant, gone) is logged and paid, so it never holds the
     * study's later completions out of the front.
     * A crash or a failure leaves them owed: the next update, or the next start ({@link #takeOwedAtStart}),
     * takes them.
     *
     * @return the complete trials taken into the front, in the order they finished
     */
    List<Trial> takeOwed(long studyId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            fronts.lockFront(studyId);
            List<Long> owed = fronts.owed(studyId);
            List<Trial> taken = new ArrayList<>();
            if (owed.isEmpty()) {
                return taken;
            }
            StudySpec spec = studies.spec(studyId);
            keeper.refreshReferences(studyId, spec); // before this transaction writes
            FrontRuns front = null; // read again only after something may have changed it
            for (long id : owed) {
                Trial t = trials.find(id).orElse(null);
                if (t == null || t.state() != TrialState.COMPLETE || t.results().isEmpty() || t.isVariant()) {
                    // only a complete run with results can join; one that cannot must not stop the others
                    LOG.warnf("Study %d: trial %d was owed to the front but is %s; left out of it", studyId, id,
                            t == null ? "gone" : t.isVariant() ? "a stability variant" : t.state().id()
                                    + (t.results().isEmpty() ? " without results" : ""));
                    continue;
                }
                taken.add(t);
                if (front == null) {
                    front = FrontRuns.of(members.front(studyId), trials);
                }
                if (keeper.refresh(studyId, t, spec, front)) {
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
            return taken;
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
        for (long studyId : owed) { // submit never throws: a failed update is logged by the writer
            try (LogContext context = LogContext.study(studyId)) {
                LOG.infof("Study %d: taking the completions owed to its front (left by a restart or a failed update)",
                        studyId);
                writers.submit(studyId);
            }
        }
    }

    /**
     * Stores the results and the new baselines in the caller's transaction, the trial marked as owed to its
     * study's front. @return its Δm, or null when the claim no longer holds the trial
     */
    private Stored store(Trial trial, UUID claim, StudySpec spec, Completion completion) {
        try (LogContext context = LogContext.trial(trial.studyId(), trial.number())) {
            if (!completion.baselines().isEmpty() && !claims.lockHeld(trial.id(), claim)) {
                return null; // a claim that lost its trial stores nothing, not even baselines
            } // without baselines, storing the results checks the claim itself (and stores nothing when lost)
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

    /** A completion's Δm on the validation and the test split, as stored, and the baselines it compared with. */
    private record Stored(double deltaM, double testDeltaM, List<Baseline> baselines) {
    }
}
