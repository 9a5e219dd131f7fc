package dev.chorus.coordinator;

import dev.chorus.config.ChorusConfig;
import dev.chorus.config.PeriodicLoops;
import dev.chorus.error.UserText;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.train.TaskAffinity;
import dev.chorus.search.Sampler;
import dev.chorus.search.Variants;
import dev.chorus.server.SearchMetrics;
import dev.chorus.server.TrialEnded;
import dev.chorus.server.TrialService;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.LogContext;
import dev.chorus.study.ReferenceTracker;
import dev.chorus.study.Study;
import dev.chorus.study.StudyData;
import dev.chorus.study.StudyRows;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import dev.chorus.trial.Runs;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Turns each running study's budget into trials, one generation at a time, and finishes studies.
 *
 * <p>Crash safety: everything the coordinator knows is in the store. A generation's trials are
 * inserted in one transaction, and samplers are deterministic functions of (seed, generation, observed
 * trials), rebuilt from the store after a restart ({@link SearchHistory}), so a coordinator restarted
 * at any moment proposes what it would have proposed: no trial is lost,
 * none is proposed twice, and the trial budget counts every stored trial. Leases of running trials
 * are stored too: workers still training when the coordinator restarts finish their trials, and trials
 * whose workers stopped sending heartbeats go back to waiting at the next tick.
 *
 * @implNote {@link #tick()} runs as a loop of {@link PeriodicLoops}, one tick at a time; it is also safe to
 *     call from tests.
 */
@ApplicationScoped
public class Coordinator {

    private static final Logger LOG = Logger.getLogger(Coordinator.class);

    private final StudyStore studies;
    private final TrialStore trials;
    private final StudyService service;
    private final ChorusConfig config;
    private final InstantSource clock;
    private final StudyData data;
    private final TrialService protocol;
    private final SearchMetrics metrics;
    private final SearchHistory history;
    private final ReferenceTracker references;
    private final StabilityTarget stability;
    private final ConfirmationTarget confirmation;
    private final PeriodicLoops loops;
    private volatile PeriodicLoops.Loop loop;
    private volatile Instant lastTick;

    Coordinator(StudyStore studies, TrialStore trials, StudyService service, ChorusConfig config,
                InstantSource clock, StudyData data, TrialService protocol, SearchMetrics metrics,
                StabilityTarget stability, ConfirmationTarget confirmation, PeriodicLoops loops,
                ReferenceTracker references) {
        this.loops = loops;
        this.references = references;
        this.confirmation = confirmation;
        this.stability = stability;
        this.data = data;
        this.metrics = metrics;
        this.protocol = protocol;
        this.studies = studies;
        this.trials = trials;
        this.service = service;
        this.config = config;
        this.clock = clock;
        this.history = new SearchHistory(trials);
    }

    void start(@Observes @Priority(10) StartupEvent event) {
        if (config.coordinator().enabled()) {
            loop = loops.start("chorus-coordinator", Duration.ZERO, config.coordinator().interval(), this::loopTick);
        }
    }

    /**
     * A trial stopped running: tick soon, so a steady-state study refills and a generation that just
     * finished is followed by the next without waiting for the interval.
     */
    void onTrialEnded(@Observes TrialEnded ended) {
        history.ended(ended.studyId(), ended.trialId());
        PeriodicLoops.Loop running = loop;
        if (running != null) {
            running.runSoon();
        }
    }

    /** When the loop last reached the database; null before its first tick. */
    public Instant lastTick() {
        return lastTick;
    }

    /** Whether the loop runs in this process. */
    public boolean enabled() {
        return config.coordinator().enabled();
    }

    /**
     * Does the housekeeping and advances every running study once, after the fronts have taken every
     * completion that returned before the call (waiting up to {@link #FRONTS_WAIT}): one whole step for
     * a caller that drives the coordinator by hand (tests, tools), where the loop's ticks would wait for
     * the front writers' announcements instead. Never throws: a study that cannot advance is failed.
     */
    public void tick() {
        try {
            if (!protocol.awaitFronts(FRONTS_WAIT)) {
                LOG.warnf("The fronts' writers were still busy after %s; ticking anyway", FRONTS_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        housekeeping();
        advanceRunning();
    }

    /** How long {@link #tick} waits for the front writers. */
    static final Duration FRONTS_WAIT = Duration.ofSeconds(60);

    /**
     * The loop's tick. The housekeeping runs at most once per interval: the ticks that trial ends bring
     * forward ({@link #onTrialEnded}), one per trial at full speed, only advance the studies, so what a
     * trial costs the database does not include the whole tick.
     */
    void loopTick() {
        Instant last = lastTick;
        if (last == null || !clock.instant().isBefore(last.plus(config.coordinator().interval()))) {
            housekeeping();
        }
        advanceRunning();
    }

    /** Expired leases back to the queue, the trial counts compacted, the gauges refreshed. */
    private void housekeeping() {
        try {
            if (protocol.expireLeases() > 0) {
                history.endedUntold();
            }
            trials.compactCounts();
            metrics.refresh();
            lastTick = clock.instant();
        } catch (RuntimeException e) {
            LOG.error("Could not expire trial leases; trying again at the next tick", e);
        }
    }

    private void advanceRunning() {
        List<Study> running = studies.listByState(StudyState.RUNNING);
        history.keepOnly(running.stream().map(Study::id).toList());
        for (Study study : running) {
            try (LogContext context = LogContext.study(study.id())) {
                measureAffinity(study.id());
                if (QuarkusTransaction.requiringNew().call(() -> advance(study.id()))) {
                    protocol.queued(); // after the commit: waiting claims can take them now
                }
                StudySpec spec = service.spec(study.id());
                if (spec.evaluation().repeats() > 1) {
                    references.warm(study.id(), spec); // its completions read them: the first read off their path
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "Study %d could not advance; marking it failed", study.id());
                QuarkusTransaction.requiringNew().run(() ->
                        studies.transition(study.id(), StudyState.RUNNING, StudyState.FAILED,
                                "the coordinator could not continue: " + e.getMessage(), clock.instant()));
            }
        }
    }

    /** @return whether trials were queued */
    private boolean advance(long id) {
        Study study = service.get(id);
        if (study.state() != StudyState.RUNNING) {
            return false;
        }
        if (protocol.owesFront(id)) {
            return false; // completions not yet in the front: the sampler, racing and the answer wait for them
        }
        StudySpec spec = service.spec(id);
        Instant now = clock.instant();
        Duration timeout = spec.schedule().trialTimeout();
        if (timeout != null && trials.failRunningSince(id, now.minus(timeout),
                "timed out: ran longer than " + timeout.toMinutes() + " min", now) > 0) {
            LOG.warnf("Study %d: trial(s) timed out after %d min", id, timeout.toMinutes());
            history.endedUntold(); // failed untold: the sampler's next top-up reads by time
        }
        TrialStore.Counts counts = trials.counts(id);
        BudgetPolicy.Budget budget = BudgetPolicy.Budget.of(spec);
        Duration workerTime = budget.maxWorkerTime() == null ? null : trials.workerTime(id, now);
        int room;
        int generation;
        switch (BudgetPolicy.decide(budget, counts, study.startedAt(), workerTime, now)) {
            case BudgetPolicy.Wait w -> {
                return false;
            }
            case BudgetPolicy.OutOfTime out -> {
                trials.failWaiting(id, out.reason(), now);
                if (out.finish()) {
                    finish(study, out.why());
                }
                return false;
            }
            case BudgetPolicy.EveryTrialFailed f -> {
                Trial first = trials.listFinished(id).getFirst();
                studies.transition(id, StudyState.RUNNING, StudyState.FAILED,
                        "every trial failed; the first said: " + first.error(), now);
                LOG.errorf("Study %d failed: every trial failed; the first said: %s", id,
                        UserText.loggable(first.error()));
                return false;
            }
            case BudgetPolicy.BudgetSpent spent -> {
                if (spent.idle() && !confirming(id, spec, now) && !checkingStability(id, spec, now)) {
                    finish(study, spent.why());
                }
                return false;
            }
            case BudgetPolicy.Propose propose -> {
                room = propose.count();
                generation = propose.generation();
            }
        }
        int proposed = generation;
        Sampler sampler = history.of(id, spec, now, () -> sampler(spec, proposed == 0 && warmStarted(spec)
                ? studies.affinity(id).map(a -> StudyService.groupings(spec, a)).orElse(List.of()) : List.of()));
        List<Candidate> next = sampler.sample(generation, room);
        if (budget.steadyState()) {
            // candidates still waiting or running are not in the history: do not propose them again
            Set<Candidate> open = new HashSet<>();
            trials.page(id, new TrialStore.TrialQuery(Set.of(TrialState.WAITING, TrialState.RUNNING),
                    TrialStore.TrialOrder.NUMBER, false, 0, Integer.MAX_VALUE)).forEach(t -> open.add(t.candidate()));
            next = next.stream().filter(c -> !open.contains(c)).toList();
        }
        if (next.isEmpty()) {
            if (counts.open() == 0 && !confirming(id, spec, now) && !checkingStability(id, spec, now)) {
                finish(study, "every candidate of the search space has been tried");
            }
            return false;
        }
        List<Trial> queued = trials.insert(id, generation, next, spec.budget().maxTrials(), now);
        LOG.debugf("Study %d: generation %d, %d trial(s) queued", id, generation, queued.size());
        return !queued.isEmpty();
    }

    /**
     * Confirms the answer once the search is over: brings each configuration the answer rests on (see
     * {@link ConfirmationTarget}) to {@code evaluation.confirm} runs, on replicates of its own after the
     * ones it has, paired with its references as every run is. Called only when nothing is open, so the
     * runs added by an earlier call have finished; the shortlist is asked again each time (the new runs
     * move the means it is chosen by), and what it names and lacks runs is added, until nothing is
     * missing or the study's {@link StudySpec.Evaluation#confirmationAllowance} beyond {@code max-trials}
     * is spent. A configuration that lost (failed or pruned) as many runs as the confirmation asks is not
     * tried again. The twins the plan lacks ({@link ConfirmationTarget.Plan#missing}) are added
     * first, as new configurations, and confirmed once their first runs have finished.
     *
     * @return true when runs were added (the study waits for them); false when the confirmation is off,
     *     there is nothing to confirm, or it is done
     */
    private boolean confirming(long id, StudySpec spec, Instant now) {
        StudySpec.Evaluation evaluation = spec.evaluation();
        if (!evaluation.confirms()) {
            return false;
        }
        ConfirmationTarget.Plan plan;
        try {
            plan = confirmation.plan(id);
        } catch (RuntimeException e) { // the search's answer stands without the confirmation: do not fail
            LOG.errorf(e, "Study %d: could not choose what to confirm; finishing without it", id);
            return false;
        }
        int cap = spec.budget().maxTrials() + evaluation.confirmationAllowance(spec.tasks().size());
        if (!plan.missing().isEmpty()) {
            List<Trial> twins = trials.insert(id, Math.max(0, trials.counts(id).maxGeneration()), plan.missing(), cap,
                    now);
            if (!twins.isEmpty()) {
                LOG.infof("Study %d: search over; training %d twin(s) of the shortlist (separate: its settings, every"
                        + " task alone, as references; tuned: its grouping with its references' settings): trial(s) %s",
                        id, twins.size(),
                        twins.stream().map(t -> String.valueOf(t.number())).collect(Collectors.joining(", ")));
                return true;
            }
        }
        List<Trial> firsts = plan.configurations();
        Map<Long, List<Trial>> repeats = Runs.byFirstRun(trials.repeats(firsts.stream().map(Trial::id).toList()));
        List<String> added = new ArrayList<>();
        for (Trial first : firsts) {
            List<Trial> own = repeats.getOrDefault(first.id(), List.of());
            long lost = own.stream().filter(t -> t.state() == TrialState.FAILED || t.state() == TrialState.PRUNED)
                    .count();
            int held = 1 + (int) own.stream() // the first run is complete: it is on the front or a reference
                    .filter(t -> t.state() == TrialState.COMPLETE || !t.state().isFinished()).count();
            int missing = evaluation.confirm() - held;
            if (missing <= 0 || lost >= evaluation.confirm() - evaluation.repeats()) {
                continue;
            }
            int count = trials.insertRepeats(first, missing, cap, now).size();
            if (count > 0) {
                added.add("trial " + first.number() + " +" + count);
            }
        }
        if (!added.isEmpty()) {
            LOG.infof("Study %d: search over; confirming the answer on %d runs per configuration: %s", id,
                    evaluation.confirm(), String.join(", ", added));
        }
        return !added.isEmpty();
    }

    /**
     * Runs the stability check once the search is over: adds the recommendation's variants (see
     * {@link Variants}), one run per replicate of its complete runs, the first time; then waits for them.
     *
     * @return true while the check has runs to wait for; false when it is off, has nothing to vary, or
     *     is done (whatever became of its runs)
     */
    private boolean checkingStability(long id, StudySpec spec, Instant now) {
        if (!spec.evaluation().stability()) {
            return false;
        }
        List<Trial> runs = trials.variants(id);
        if (runs.stream().anyMatch(t -> !t.state().isFinished())) {
            return true;
        }
        StabilityTarget.Target target;
        try {
            target = stability.of(id).orElse(null);
        } catch (RuntimeException e) { // the search's answer stands without the check: finish, do not fail
            LOG.errorf(e, "Study %d: could not choose what the stability check varies; finishing without it", id);
            return false;
        }
        if (target == null || runs.stream().anyMatch(t -> Objects.equals(t.variantOf(), target.recommended().id()))) {
            return false;
        }
        List<Candidate> variants = Variants.of(target.recommended().candidate()).stream()
                .map(Variants.Variant::candidate).toList();
        if (variants.isEmpty()) {
            return false;
        }
        trials.insertVariants(target.recommended(), variants, target.replicates(), now);
        LOG.infof("Study %d: search over; checking the stability of trial %d: %d variant(s) × %d run(s)", id,
                target.recommended().number(), variants.size(), target.replicates().size());
        return true;
    }

    private void finish(Study study, String why) {
        if (studies.transition(study.id(), StudyState.RUNNING, StudyState.COMPLETED, null, clock.instant())) {
            protocol.settle(study.id()); // repeats that never ran leave their configurations on the runs they have
            LOG.infof("Study %d '%s' completed: %s", study.id(), study.name(), why);
        }
    }

    /**
     * Measures and stores a warm-started study's task affinity before its first generation, once.
     *
     * <p>Runs on the coordinator's thread, outside any transaction (the run takes about as long as one
     * trial of all tasks, longer than a transaction should stay open), before the study's first
     * generation is proposed; other studies wait meanwhile, and the run waits for the trainer's
     * JVM-wide lock if a worker of this process is training. Acceptable for now: it happens once per
     * study. Restart-safe: a stored matrix is reused; one lost to a crash before it was stored is
     * measured again, and the measurement is deterministic (seeded by the study's seed), so the
     * stored matrix and the generation it seeds are the same.
     */
    private void measureAffinity(long id) {
        StudySpec spec = service.spec(id);
        if (!warmStarted(spec) || service.get(id).state() != StudyState.RUNNING || trials.counts(id).total() > 0
                || studies.affinity(id).isPresent()) {
            return;
        }
        StudyRows prepared = data.of(id, spec);
        Instant started = clock.instant();
        double[][] affinity = TaskAffinity.measure(prepared.dataset(), prepared.split(), spec.tasks(), spec.baseline(),
                spec.warmStart().epochs(), spec.seed());
        studies.saveAffinity(id, affinity, clock.instant());
        LOG.infof("Study %d: task affinity measured in %d ms (%d epochs)", id,
                Duration.between(started, clock.instant()).toMillis(), spec.warmStart().epochs());
    }

    private static boolean warmStarted(StudySpec spec) {
        return spec.warmStart().affinity() && spec.sampler() == StudySpec.SamplerKind.NSGA2;
    }

    static Sampler sampler(StudySpec spec) {
        return sampler(spec, List.of());
    }

    /** The study's sampler; NSGA-II seeds generation 0 with {@code seedGroupings}. */
    static Sampler sampler(StudySpec spec, List<List<Integer>> seedGroupings) {
        int tasks = spec.tasks().size();
        return switch (spec.sampler()) {
            case NSGA2 -> Sampler.nsga2(spec.space(), tasks, spec.seed(), spec.population(), seedGroupings);
            case RANDOM -> Sampler.random(spec.space(), tasks, spec.seed(), spec.population());
        };
    }
}
