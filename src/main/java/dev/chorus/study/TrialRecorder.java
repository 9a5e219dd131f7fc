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
            List<TaskResult> results = new ArrayList<>();
            for (Task task : spec.tasks()) {
                Result r = completion.results().stream().filter(x -> x.task().equals(task.name())).findFirst().orElseThrow();
                Baseline baseline = baselines.find(r.baselineHash()).orElseGet(() -> {
                    NewBaseline b = fresh.get(r.baselineHash());
                    LOG.infof("Baseline for task %s trained alone: %s %.4f (%.1f s)", task.name(), task.metric().id(),
                            b.value(), b.trainSeconds());
                    return baselines.save(new Baseline(b.hash(), task.name(), task.metric(), b.value(), b.settings(),
                            b.trainSeconds(), clock.instant()));
                });
                results.add(new TaskResult(task.name(), r.value(), baseline.value(),
                        DeltaM.relative(r.value(), baseline.value(), task.direction()), baseline.hash()));
            }
            double deltaM = DeltaM.of(results);
            if (!claims.complete(trial.id(), claim, results, deltaM, clock.instant())) {
                return false;
            }
            refreshFront(trial.studyId(), trial.id(), spec);
            StudyService.Progress p = studies.progress(trial.studyId());
            LOG.infof("Study %d: trial %d done (%d/%d), %d model(s), Δm %+.2f%%; best Δm so far %+.2f%% (trial %d)",
                    trial.studyId(), trial.number(), p.finished(), p.budget(), trial.candidate().groupCount(), deltaM,
                    p.bestDeltaM(), p.bestTrial());
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
            if (!Double.isFinite(r.value())) {
                problems.add(at + ".value: a finite number (the task's metric on the test split)");
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
            if (b.hash() == null || b.hash().isBlank() || b.task() == null || !Double.isFinite(b.value())) {
                problems.add("baselines: each needs hash, task and a finite value");
            }
        }
        return problems;
    }

    /**
     * Recomputes which trials are non-dominated: among the acceptable ones (complete, within the
     * constraints), or among all complete ones while none is acceptable. Runs in the caller's
     * transaction.
     */
    private void refreshFront(long studyId, long trialId, StudySpec spec) {
        List<Trial> finished = trials.listFinished(studyId);
        List<Trial> acceptable = finished.stream().filter(t -> Objectives.feasible(spec, t)).toList();
        List<Trial> complete = !acceptable.isEmpty() ? acceptable
                : finished.stream().filter(t -> t.state() == TrialState.COMPLETE).toList();
        List<double[]> objectives = complete.stream().map(t -> Objectives.of(spec, t)).toList();
        List<Trial> front = Pareto.nonDominated(objectives).stream().map(complete::get).toList();
        trials.replaceFront(studyId, front.stream().map(Trial::id).toList());
        if (Objectives.count(spec) <= Objectives.MAX_HYPERVOLUME_OBJECTIVES) {
            double hv = acceptable.isEmpty() ? 0 : Hypervolume.of(
                    front.stream().map(t -> Objectives.forHypervolume(spec, t)).toList(),
                    Objectives.hypervolumeReference(spec));
            long completeCount = finished.stream().filter(t -> t.state() == TrialState.COMPLETE).count();
            trials.addHypervolume(studyId, trialId, (int) completeCount, hv, clock.instant());
        }
    }

}
