package dev.chorus.study;

import dev.chorus.dispatch.TrialProtocol.Completion;
import dev.chorus.dispatch.TrialProtocol.NewBaseline;
import dev.chorus.dispatch.TrialProtocol.Result;
import dev.chorus.mtl.Task;
import dev.chorus.search.Hypervolume;
import dev.chorus.search.Pareto;
import dev.chorus.store.BaselineStore;
import dev.chorus.store.ClaimStore;
import dev.chorus.store.TrialStore;
import dev.chorus.trial.Baseline;
import dev.chorus.trial.DeltaM;
import dev.chorus.trial.Score;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Records a finished trial: checks the worker's results against the study, stores the baselines the
 * worker trained, compares every task with its baseline, and stores the results with the study's
 * updated Pareto front and hypervolume, all in one transaction.
 */
@ApplicationScoped
class TrialRecorder {

    private static final Logger LOG = Logger.getLogger(TrialRecorder.class);

    private final ClaimStore claims;
    private final TrialStore trials;
    private final BaselineStore baselines;
    private final StudyService studies;
    private final InstantSource clock;

    TrialRecorder(ClaimStore claims, TrialStore trials, BaselineStore baselines, StudyService studies,
                  InstantSource clock) {
        this.claims = claims;
        this.trials = trials;
        this.baselines = baselines;
        this.studies = studies;
        this.clock = clock;
    }

    /**
     * @return false when {@code claim} no longer holds the running trial (nothing was stored)
     * @throws ValidationException when the results do not name each task of the study once, with a
     *     finite value and a baseline that is stored or comes along
     */
    boolean record(Trial trial, UUID claim, StudySpec spec, Completion completion) {
        Map<String, NewBaseline> fresh = new HashMap<>();
        completion.baselines().forEach(b -> fresh.put(b.hash(), b));
        List<String> problems = problems(spec, completion, fresh);
        if (!problems.isEmpty()) {
            throw new ValidationException("results of trial " + trial.id(), problems);
        }
        return QuarkusTransaction.requiringNew().call(() -> store(trial, claim, spec, completion, fresh));
    }

    /** Stores the results, the new baselines and the refreshed front, in the caller's transaction. */
    private boolean store(Trial trial, UUID claim, StudySpec spec, Completion completion, Map<String, NewBaseline> fresh) {
        try (LogContext context = LogContext.trial(trial.studyId(), trial.number())) {
            if (!claims.lockHeld(trial.id(), claim)) {
                return false; // a claim that lost its trial stores nothing, not even baselines
            }
            List<TaskResult> results = new ArrayList<>();
            for (Task task : spec.tasks()) {
                Result r = completion.results().stream().filter(x -> x.task().equals(task.name())).findFirst().orElseThrow();
                Baseline baseline = baselines.find(r.baselineHash()).orElseGet(() -> {
                    NewBaseline b = fresh.get(r.baselineHash());
                    LOG.infof("Baseline for task %s trained alone: %s %.4f on validation, %.4f on test (%.1f s)",
                            task.name(), task.metric().id(), b.validation(), b.test(), b.trainSeconds());
                    return baselines.save(new Baseline(b.hash(), task.name(), task.metric(), b.validation(), b.test(),
                            b.settings(), b.trainSeconds(), clock.instant()));
                });
                results.add(new TaskResult(task.name(), Score.of(r.validation(), baseline.validation(), task.direction()),
                        Score.of(r.test(), baseline.test(), task.direction()), baseline.hash()));
            }
            double deltaM = DeltaM.of(results);
            if (!claims.complete(trial.id(), claim, results, deltaM, DeltaM.ofTest(results), clock.instant())) {
                return false;
            }
            refreshFront(trial.studyId(), trial.id(), spec);
            StudyService.Progress p = studies.progress(trial.studyId());
            LOG.infof("Study %d: trial %d done (%d/%d), %d model(s), validation Δm %+.2f%% (test %+.2f%%); "
                    + "best validation Δm so far %+.2f%% (trial %d)", trial.studyId(), trial.number(), p.finished(),
                    p.budget(), trial.candidate().groupCount(), deltaM, DeltaM.ofTest(results), p.bestDeltaM(),
                    p.bestTrial());
            return true;
        }
    }

    private List<String> problems(StudySpec spec, Completion completion, Map<String, NewBaseline> fresh) {
        List<String> problems = new ArrayList<>();
        List<String> names = spec.tasks().stream().map(Task::name).toList();
        for (int i = 0; i < completion.results().size(); i++) {
            Result r = completion.results().get(i);
            String at = "results[" + i + "]";
            if (r == null || r.task() == null || !names.contains(r.task())) {
                problems.add(at + ".task: one of " + names);
                continue;
            }
            if (r.validation() == null || !Double.isFinite(r.validation())) {
                problems.add(at + ".validation: a finite number (the task's metric on the validation split, at the "
                        + "epoch kept)");
            }
            if (r.test() == null || !Double.isFinite(r.test())) {
                problems.add(at + ".test: a finite number (the task's metric on the held-out test split)");
            }
            if (r.baselineHash() == null || r.baselineHash().isBlank()) {
                problems.add(at + ".baselineHash: the content hash of the task's single-task baseline");
            } else if (!fresh.containsKey(r.baselineHash()) && baselines.find(r.baselineHash()).isEmpty()) {
                problems.add(at + ".baselineHash: no baseline " + r.baselineHash()
                        + " is stored; train it and send it in baselines[] with this hash");
            } else if (fresh.containsKey(r.baselineHash()) && !fresh.get(r.baselineHash()).task().equals(r.task())) {
                problems.add(at + ".baselineHash: baseline " + r.baselineHash() + " in baselines[] is for task "
                        + fresh.get(r.baselineHash()).task() + ", not " + r.task());
            }
        }
        for (String name : names) {
            long count = completion.results().stream().filter(r -> r != null && name.equals(r.task())).count();
            if (count != 1) {
                problems.add("results: task " + name + " must appear exactly once, found " + count + " times");
            }
        }
        for (NewBaseline b : completion.baselines()) {
            if (b == null || b.hash() == null || b.hash().isBlank() || b.task() == null || b.validation() == null
                    || !Double.isFinite(b.validation()) || b.test() == null || !Double.isFinite(b.test())) {
                problems.add("baselines: each needs hash, task and finite validation and test values");
            }
        }
        return problems;
    }

    /**
     * Updates which trials are non-dominated after {@code trialId} completed, in the caller's transaction.
     * The front is kept among the acceptable trials (complete, within the constraints), or among all
     * complete ones while none is acceptable. Incremental: the front of the trials so far plus one is the
     * non-dominated part of the old front plus that one (dominance is transitive), so a completion costs
     * the size of the front, not of the study.
     */
    private void refreshFront(long studyId, long trialId, StudySpec spec) {
        trials.lockFront(studyId); // concurrent completions of one study update the front in turn
        Trial added = trials.find(trialId).orElseThrow();
        List<Trial> front = trials.front(studyId);
        boolean acceptableBefore = front.stream().anyMatch(t -> Objectives.feasible(spec, t));
        boolean acceptable = Objectives.feasible(spec, added);
        List<Trial> candidates = new ArrayList<>();
        if (acceptable && !acceptableBefore) {
            candidates.add(added); // the first acceptable trial: the infeasible front gives way
        } else if (acceptable || !acceptableBefore) {
            candidates.addAll(front);
            candidates.add(added);
        } else {
            candidates.addAll(front); // infeasible while acceptable ones exist: the front stands
        }
        List<double[]> objectives = candidates.stream().map(t -> Objectives.of(spec, t)).toList();
        List<Trial> updated = Pareto.nonDominated(objectives).stream().map(candidates::get).toList();
        boolean changed = !updated.stream().map(Trial::id).toList().equals(front.stream().map(Trial::id).toList());
        if (changed) {
            trials.replaceFront(studyId, updated.stream().map(Trial::id).toList());
        }
        if (Objectives.count(spec) <= Objectives.MAX_HYPERVOLUME_OBJECTIVES) {
            boolean anyAcceptable = acceptable || acceptableBefore;
            // a dominated newcomer leaves the front, and so its hypervolume, as it was
            double hv = !anyAcceptable ? 0 : !changed ? trials.lastHypervolume(studyId).orElse(0.0) : Hypervolume.of(
                    updated.stream().map(t -> Objectives.forHypervolume(spec, t)).toList(),
                    Objectives.hypervolumeReference(spec));
            trials.addHypervolume(studyId, trialId, trials.counts(studyId).of(TrialState.COMPLETE), hv, clock.instant());
        }
    }
}
