package dev.chorus.server;

import dev.chorus.config.ChorusConfig;
import dev.chorus.dispatch.TrialProtocol;
import dev.chorus.error.StoreException;
import dev.chorus.error.StudyNotFoundException;
import dev.chorus.error.UserText;
import dev.chorus.error.ValidationException;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.data.Split;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.BaselineKeys;
import dev.chorus.study.Replicates;
import dev.chorus.study.StudyData;
import dev.chorus.study.StudyRows;
import dev.chorus.study.StudyService;
import dev.chorus.trial.Baseline;
import dev.chorus.trial.BaselineStore;
import dev.chorus.trial.ClaimStore;
import dev.chorus.trial.ClaimStore.Claim;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The coordinator's side of the trial protocol, backed by the stores: claims under leases, heartbeats,
 * intermediate values with the pruner's verdict, and finishing calls that record nothing twice. The
 * REST resource, the in-process worker and the Kubernetes dispatcher all go through this one class.
 *
 * @implNote Thread-safe: all state is in the store; each call runs in its own transaction.
 */
@ApplicationScoped
public class TrialService implements TrialProtocol {

    private static final Logger LOG = Logger.getLogger(TrialService.class);

    private final ClaimStore claims;
    private final BaselineStore baselines;
    private final StudyService studies;
    private final StudyData data;
    private final TrialRecorder recorder;
    private final FrontKeeper keeper;
    private final PruningDecisions pruning;
    private final ChorusConfig config;
    private final InstantSource clock;
    private final SearchMetrics metrics;
    private final Event<TrialEnded> ended;
    private final ClaimWaiters waiters;
    private volatile boolean stopping;

    TrialService(ClaimStore claims, BaselineStore baselines, StudyService studies, StudyData data,
                 TrialRecorder recorder, FrontKeeper keeper, PruningDecisions pruning, ChorusConfig config, InstantSource clock,
                 SearchMetrics metrics, Event<TrialEnded> ended) {
        this.metrics = metrics;
        this.ended = ended;
        this.claims = claims;
        this.baselines = baselines;
        this.studies = studies;
        this.data = data;
        this.recorder = recorder;
        this.keeper = keeper;
        this.pruning = pruning;
        this.config = config;
        this.clock = clock;
        this.waiters = new ClaimWaiters(claims::claimable, config.worker().poll());
    }

    /**
     * {@inheritDoc}
     *
     * @implNote Between attempts the claim waits in {@link ClaimWaiters}, holding no database connection;
     *     called on a virtual thread, it holds no platform thread either. An attempt that finds every pooled
     *     connection in use past the pool's acquisition timeout counts as finding no trial while the claim
     *     may still wait; only the last attempt's answers 503 (the server is busy).
     */
    @Override
    public Optional<Assignment> claim(String worker, Duration wait) {
        return claim(worker, wait, null);
    }

    @Override
    public Optional<Assignment> claim(String worker, Duration wait, long study) {
        studies.get(study); // a 404 for a study that does not exist, rather than a wait for nothing
        return claim(worker, wait, Long.valueOf(study));
    }

    private static void checkWorker(String worker) {
        if (worker == null || worker.isBlank() || worker.length() > 200) {
            throw new ValidationException("claim", List.of("worker: give the worker a name of 1 to 200 characters"));
        }
        if (worker.chars().anyMatch(Character::isISOControl)) { // the database cannot store NUL
            throw new ValidationException("claim", List.of("worker: give a name without control characters "
                    + "(line breaks, tabs, NUL), such as gpu-node-3/1"));
        }
    }

    private Optional<Assignment> claim(String worker, Duration wait, Long study) {
        checkWorker(worker);
        long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
        while (!stopping) {
            UUID claim = UUID.randomUUID();
            Instant now = clock.instant();
            Instant until = now.plus(firstLease());
            Optional<Trial> trial;
            try {
                trial = QuarkusTransaction.requiringNew().call(() -> claims.claimNext(worker, claim, until, now, study));
            } catch (StoreException e) {
                if (!e.busy() || deadline - System.nanoTime() <= 0) {
                    throw e; // busy at the end of its wait: 503, which the worker retries
                }
                trial = Optional.empty(); // every connection in use: a long poll waits and tries again
            }
            if (trial.isPresent()) {
                LOG.debugf("Trial %d of study %d claimed by %s", trial.get().number(), trial.get().studyId(), worker);
                return Optional.of(assignment(trial.get(), claim, until));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            try {
                waiters.await(deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Says that trials were just queued (after the commit): waiting claims look at once instead of at their
     * next check, so a refill reaches idle workers without the check interval's delay.
     */
    public void queued() {
        waiters.checkSoon();
    }

    /** Long polls in flight end at once when the coordinator stops, before its database does. */
    void stopping(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
        waiters.stop();
    }

    /**
     * A claim's first lease: three heartbeat intervals, at most the full lease. A worker that vanished
     * while its long poll waited never sends the first heartbeat, and its trial comes back that soon; the
     * first heartbeat extends the lease to {@code chorus.worker.lease}.
     */
    private Duration firstLease() {
        Duration three = config.worker().heartbeat().multipliedBy(3);
        return three.compareTo(config.worker().lease()) < 0 ? three : config.worker().lease();
    }

    @Override
    public Assignment assignment(long trialId, UUID claim) {
        Claim held = holding(trialId, claim);
        Trial trial = studies.trial(trialId);
        return assignment(trial, claim, held.leaseUntil());
    }

    private Assignment assignment(Trial trial, UUID claim, Instant leaseUntil) {
        StudyService.Definition definition = studies.definition(trial.studyId());
        StudySpec spec = definition.spec();
        String dataHash = data.dataHash(trial.studyId(), spec);
        List<Task> tasks = spec.tasks();
        List<List<String>> models = trial.candidate().members().stream()
                .map(group -> group.stream().map(i -> tasks.get(i).name()).toList()).toList();
        Map<String, String> keys = baselineKeys(trial, spec);
        List<TaskInfo> infos = tasks.stream().map(t -> new TaskInfo(t.name(), t.type().name().toLowerCase(Locale.ROOT),
                t.metric().id(), t.direction().name().toLowerCase(Locale.ROOT), keys.get(t.name()))).toList();
        return new Assignment(trial.id(), claim, leaseUntil, config.worker().heartbeat().toSeconds(), trial.studyId(),
                trial.number(), Replicates.seed(spec, trial.replicate()), trial.replicate(), trial.candidate(), models,
                infos, definition.specYaml(), definition.baseDir(), dataHash, spec.baseline());
    }

    /** The baseline keys of {@code trial}'s run: its study, its replicate's rows and seed ({@link BaselineKeys}). */
    private Map<String, String> baselineKeys(Trial trial, StudySpec spec) {
        return data.baselineKeys(trial.studyId(), spec, trial.replicate());
    }

    @Override
    public Lease heartbeat(long trialId, UUID claim) {
        Instant until = clock.instant().plus(config.worker().lease());
        if (!QuarkusTransaction.requiringNew().call(() -> claims.renew(trialId, claim, until))) {
            throw lost(trialId, claim);
        }
        return new Lease(until);
    }

    @Override
    public boolean report(long trialId, UUID claim, int step, Map<String, Double> values) {
        if (step < 0 || values == null || values.isEmpty()) {
            throw new ValidationException("intermediate values", List.of(
                    "step: 0 or more (the epoch, counted from 0)", "values: task name to value, at least one"));
        }
        Trial trial = studies.trial(trialId);
        StudySpec spec = studies.spec(trial.studyId());
        List<String> problems = new ArrayList<>();
        values.forEach((name, value) -> {
            Optional<Task> task = spec.tasks().stream().filter(t -> t.name().equals(name)).findFirst();
            if (task.isEmpty() || value == null) {
                problems.add("values." + name + ": not a task of the study with a number; tasks are "
                        + spec.tasks().stream().map(Task::name).toList());
            } else if (!task.get().metric().admits(value)) {
                problems.add(ResultChecks.outOfRange("values." + name, task.get(), value));
            }
        });
        if (!problems.isEmpty()) {
            throw new ValidationException("intermediate values", problems);
        }
        if (!QuarkusTransaction.requiringNew().call(() -> claims.report(trialId, claim, step, values))) {
            throw lost(trialId, claim);
        }
        return pruning.shouldPrune(trial, spec, step, values.keySet());
    }

    @Override
    public Optional<Double> baseline(String hash) {
        return baselines.find(hash).map(Baseline::validation);
    }

    @Override
    public SplitRows split(long studyId, int replicate) {
        StudySpec spec = studies.spec(studyId);
        StudyRows prepared = data.of(studyId, spec);
        Split rows = prepared.replicate(spec, replicate).split();
        return new SplitRows(prepared.dataset().contentHash(), rows.train(), rows.validation(), rows.test());
    }

    @Override
    public void complete(long trialId, UUID claim, Completion completion) {
        ClaimStore.Held held = claims.held(trialId).orElseThrow(() -> new StudyNotFoundException("no trial with id "
                + trialId));
        if (held.claim() == null || !held.claim().id().equals(claim)) {
            throw lost(trialId, claim); // a stranger's results are not even checked
        }
        Trial trial = held.trial();
        StudySpec spec = studies.spec(trial.studyId());
        if (recorder.record(trial, claim, spec, baselineKeys(trial, spec), completion)) {
            metrics.finished(trial, "complete", clock.instant()); // its end is announced once its front took it
        } else {
            finishedBy(trialId, claim, TrialState.COMPLETE);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @implNote The worker's name is checked before anything is stored. A claim that finds the server busy
     *     (every pooled connection in use to the end of its wait) answers empty rather than fail a call
     *     whose completion is stored.
     */
    @Override
    public Optional<Assignment> completeAndClaim(long trialId, UUID claim, Completion completion, String worker,
                                                 Duration wait, Long study) {
        checkWorker(worker);
        if (study != null) {
            studies.get(study); // a 404 before anything is stored
        }
        complete(trialId, claim, completion);
        try {
            return claim(worker, wait, study);
        } catch (StoreException e) {
            if (!e.busy()) {
                throw e;
            }
            LOG.debugf("Trial %d completed; no next trial claimed for %s: %s", trialId, worker, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void prune(long trialId, UUID claim) {
        if (QuarkusTransaction.requiringNew().call(() -> claims.prune(trialId, claim, clock.instant()))) {
            Trial t = studies.trial(trialId);
            ended(t, "pruned");
            LOG.infof("Study %d: trial %d pruned (%s pruner)", t.studyId(), t.number(),
                    studies.spec(t.studyId()).schedule().pruner().id());
            settleIfLast(t);
        } else {
            finishedBy(trialId, claim, TrialState.PRUNED);
        }
    }

    @Override
    public void fail(long trialId, UUID claim, String error) {
        String why = error == null || error.isBlank() ? "the worker gave no reason" : UserText.storable(error);
        if (QuarkusTransaction.requiringNew().call(() -> claims.fail(trialId, claim, why, clock.instant()))) {
            Trial t = studies.trial(trialId);
            ended(t, "failed");
            LOG.warnf("Study %d: trial %d failed: %s", t.studyId(), t.number(), UserText.loggable(why));
            settleIfLast(t);
        } else {
            finishedBy(trialId, claim, TrialState.FAILED);
        }
    }

    /** Counts a trial that stopped running and tells whoever waits for it (the coordinator). */
    private void ended(Trial t, String outcome) {
        metrics.finished(t, outcome, clock.instant());
        ended.fire(new TrialEnded(t.studyId(), t.id()));
    }

    /** A repeat that ended without completing may have been its configuration's last open run. */
    private void settleIfLast(Trial t) {
        if (t.isRepeat() && !t.isVariant()) {
            keeper.settleAfter(t);
        }
    }

    /**
     * Whether the study's front is still taking completions on its writer (their end is not announced
     * yet); completions owed while it is idle are taken on the caller's thread first. The coordinator
     * waits while this holds.
     */
    public boolean owesFront(long studyId) {
        return recorder.owes(studyId);
    }

    /**
     * Waits until every front has taken the completions that returned before this call, for tests and
     * benchmarks that read a front right after completing trials. @return false when {@code limit} passed first
     */
    public boolean awaitFronts(Duration limit) throws InterruptedException {
        return recorder.awaitFronts(limit);
    }

    /** Recomputes the study's front from its settled configurations (when a study stops). */
    public void settle(long studyId) {
        keeper.settle(studyId);
    }

    @Override
    public void release(long trialId, UUID claim, String given) {
        String reason = UserText.storable(given);
        if (!QuarkusTransaction.requiringNew().call(() -> claims.release(trialId, claim, reason,
                config.worker().maxAttempts(), clock.instant()))) {
            throw lost(trialId, claim);
        }
        Trial t = studies.trial(trialId);
        ended(t, t.state() == TrialState.FAILED ? "failed" : "requeued");
        LOG.warnf("Study %d: trial %d given back by its worker (%s); now %s", t.studyId(), t.number(),
                UserText.loggable(reason), t.state().id());
    }

    /**
     * Gives every trial whose lease ran out back to the queue, or fails it once out of attempts; a failed
     * repeat that was its configuration's last open run settles it. @return how many
     */
    public int expireLeases() {
        List<Trial> expired = QuarkusTransaction.requiringNew().call(
                () -> claims.expire(config.worker().maxAttempts(), clock.instant()));
        if (!expired.isEmpty()) {
            metrics.requeued(expired.size());
            LOG.warnf("%d trial(s) lost their worker (lease ran out without a heartbeat); requeued or failed",
                    expired.size());
            expired.stream().filter(t -> t.state() == TrialState.FAILED).forEach(this::settleIfLast);
        }
        return expired.size();
    }

    private Claim holding(long trialId, UUID claim) {
        return claims.claim(trialId).filter(c -> c.holds(claim)).orElseThrow(() -> lost(trialId, claim));
    }

    /** A finishing call that did not take effect: fine when this claim already finished it the same way. */
    private void finishedBy(long trialId, UUID claim, TrialState state) {
        Optional<Claim> current = claims.claim(trialId);
        if (current.isPresent() && current.get().id().equals(claim) && current.get().state() == state) {
            return; // a repeated call: idempotent
        }
        throw lost(trialId, claim);
    }

    private LeaseLostException lost(long trialId, UUID claim) {
        studies.trial(trialId); // 404 for an unknown trial
        Optional<Claim> current = claims.claim(trialId);
        String now = current.map(c -> c.id().equals(claim)
                ? "its lease ran out and the trial is " + c.state().id()
                : "the trial is " + c.state().id() + " under another claim (attempt " + c.attempts() + ")")
                .orElse("the trial was never claimed");
        return new LeaseLostException("claim " + claim + " does not hold trial " + trialId + ": " + now);
    }
}
