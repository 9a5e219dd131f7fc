package dev.chorus.server;

import dev.chorus.study.Study;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chorus's Prometheus metrics (at {@code /q/metrics} on the management port): the work queue, trial outcomes and durations, and
 * each running study's progress. Gauges read a snapshot the coordinator refreshes on every tick
 * ({@link #refresh()}), so a scrape costs no query.
 *
 * <ul>
 *   <li>{@code chorus_trials_waiting}, {@code chorus_trials_running}: the queue workers claim from, and
 *       trials in training</li>
 *   <li>{@code chorus_trials_finished_total{outcome}}: complete, pruned, failed, requeued (a lease ran out
 *       or a worker gave the trial back)</li>
 *   <li>{@code chorus_trial_duration_seconds{outcome}}: claim to finish</li>
 *   <li>{@code chorus_study_trials_finished{study}}, {@code chorus_study_trial_budget{study}},
 *       {@code chorus_study_best_delta_m{study}}: search progress of each running study</li>
 * </ul>
 *
 * @implNote Thread-safe.
 */
@ApplicationScoped
public class SearchMetrics {

    private final MeterRegistry registry;
    private final StudyStore studies;
    private final TrialStore trials;
    private final StudyService service;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final MultiGauge finished;
    private final MultiGauge budget;
    private final MultiGauge bestDeltaM;

    SearchMetrics(MeterRegistry registry, StudyStore studies, TrialStore trials, StudyService service) {
        this.registry = registry;
        this.studies = studies;
        this.trials = trials;
        this.service = service;
        registry.gauge("chorus_trials_waiting", waiting);
        registry.gauge("chorus_trials_running", running);
        finished = MultiGauge.builder("chorus_study_trials_finished").description("finished trials of a running study")
                .register(registry);
        budget = MultiGauge.builder("chorus_study_trial_budget").description("trial budget of a running study")
                .register(registry);
        bestDeltaM = MultiGauge.builder("chorus_study_best_delta_m").description("best Δm (%) of a running study so far")
                .register(registry);
    }

    /** Re-reads the queue and the running studies' progress. */
    public void refresh() {
        TrialStore.Queue queue = trials.queue();
        waiting.set(queue.waiting());
        running.set(queue.running());
        List<MultiGauge.Row<?>> finishedRows = new ArrayList<>();
        List<MultiGauge.Row<?>> budgetRows = new ArrayList<>();
        List<MultiGauge.Row<?>> bestRows = new ArrayList<>();
        for (Study s : studies.listByState(StudyState.RUNNING)) {
            StudyService.Progress p = service.progress(s.id());
            Tags tags = Tags.of("study", Long.toString(s.id()), "name", s.name());
            finishedRows.add(MultiGauge.Row.of(tags, p.finished()));
            budgetRows.add(MultiGauge.Row.of(tags, p.budget()));
            if (!Double.isNaN(p.bestDeltaM())) {
                bestRows.add(MultiGauge.Row.of(tags, p.bestDeltaM()));
            }
        }
        finished.register(finishedRows, true);
        budget.register(budgetRows, true);
        bestDeltaM.register(bestRows, true);
    }

    /** Counts a trial's end and, when it had started, how long it ran. */
    void finished(Trial trial, String outcome, Instant now) {
        Counter.builder("chorus_trials_finished_total").tag("outcome", outcome).register(registry).increment();
        if (trial.startedAt() != null && !outcome.equals("requeued")) {
            Timer.builder("chorus_trial_duration_seconds").tag("outcome", outcome).register(registry)
                    .record(Duration.between(trial.startedAt(), now));
        }
    }

    /** Counts trials requeued in bulk (leases that ran out). */
    void requeued(int count) {
        Counter.builder("chorus_trials_finished_total").tag("outcome", "requeued").register(registry).increment(count);
    }
}
