package dev.chorus.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.chorus.config.ChorusConfig;
import dev.chorus.config.PeriodicLoops;
import dev.chorus.study.Study;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import dev.chorus.trial.TrialStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Runs scheduled jobs: starts a study when a job is due, stops it at the job's stop-by time, records
 * how each run ended and notifies the job's webhook, retrying until the receiver takes it. Notifications
 * are delivered by {@link WebhookDeliveries} on threads of their own: a tick only queues them, so a slow
 * receiver delays no run.
 *
 * <p>Restart safety: a run is started in one transaction with its study and the job's next run time, at
 * most once per scheduled time; runs, stop times and undelivered notifications are in the database,
 * so a restarted coordinator picks up where it stopped. A job whose time passed while Chorus was down
 * runs once at the next start (not once per missed time).
 *
 * @implNote {@link #tick(Instant)} runs every 5 s as a loop of {@link PeriodicLoops}, one tick at a time,
 *     where the coordinator loop runs; tests call it with the time they want.
 */
@ApplicationScoped
public class OvernightJobScheduler {

    private static final Logger LOG = Logger.getLogger(OvernightJobScheduler.class);

    private final OvernightJobStore jobs;
    private final StudyService studies;
    private final StudyStore studyStore;
    private final TrialStore trials;
    private final WebhookDeliveries webhooks;
    private final ChorusConfig config;
    private final InstantSource clock;
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final PeriodicLoops loops;

    OvernightJobScheduler(OvernightJobStore jobs, StudyService studies, StudyStore studyStore, TrialStore trials,
                          WebhookDeliveries webhooks,
                 ChorusConfig config, InstantSource clock, PeriodicLoops loops) {
        this.loops = loops;
        this.jobs = jobs;
        this.studies = studies;
        this.studyStore = studyStore;
        this.trials = trials;
        this.webhooks = webhooks;
        this.config = config;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        if (config.coordinator().enabled()) {
            loops.start("chorus-overnight-jobs", Duration.ofSeconds(1), Duration.ofSeconds(5),
                    () -> tick(clock.instant()));
        }
    }

    /** Starts due runs, stops and finishes runs, queues due notifications for delivery. Never throws. */
    public void tick(Instant now) {
        try {
            jobs.due(now).forEach(job -> guarded("start job " + job.id(), () -> startRun(job, now)));
            jobs.openRuns().forEach(run -> guarded("follow run " + run.id(), () -> followRun(run, now)));
            jobs.dueWebhooks(now).forEach(hook -> guarded("queue webhook " + hook.id(), () -> webhooks.submit(hook, now)));
        } catch (RuntimeException e) {
            LOG.error("Scheduled jobs could not advance; trying again at the next tick", e);
        }
    }

    /** One item's failure does not hold up the others. */
    private static void guarded(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not %s; trying again at the next tick", what);
        }
    }

    private void startRun(OvernightJob job, Instant now) {
        Instant scheduled = job.nextRunAt();
        Instant next = job.cron() == null ? null
                : Cron.parse(job.cron()).next(now.atZone(ZoneId.of(job.timeZone()))).toInstant();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                Study study = studies.start(studies.create(job.specYaml(), Path.of(job.baseDir())).id());
                jobs.startRun(job.id(), scheduled, study.id(), now, job.stopAt(now), next).ifPresent(run ->
                        LOG.infof("Overnight job %d '%s': run %d started study %d (scheduled for %s)%s", job.id(), job.name(),
                                run.id(), study.id(), scheduled, run.stopAt() == null ? "" : ", stops at " + run.stopAt()));
            });
        } catch (RuntimeException e) {
            LOG.errorf("Overnight job %d '%s' could not start its run: %s", job.id(), job.name(), e.getMessage());
            QuarkusTransaction.requiringNew().run(() -> jobs.startRun(job.id(), scheduled, null, now, null, next)
                    .ifPresent(run -> finish(job, run, "failed", "could not start: " + e.getMessage(), null, now)));
        }
    }

    private void followRun(OvernightJob.Run run, Instant now) {
        OvernightJob job = jobs.find(run.jobId()).orElseThrow();
        if (run.studyId() == null) {
            QuarkusTransaction.requiringNew().run(() -> finish(job, run, "failed", "the run has no study", null, now));
            return;
        }
        Study study = studies.get(run.studyId());
        if (study.state() == StudyState.RUNNING && run.stopAt() != null && !now.isBefore(run.stopAt())) {
            QuarkusTransaction.requiringNew().run(() -> {
                if (studyStore.transition(study.id(), StudyState.RUNNING, StudyState.COMPLETED,
                        "stopped at the job's stop time " + run.stopAt(), now)) {
                    trials.failWaiting(study.id(), "the job's stop time came before this trial ran", now);
                    finish(job, run, "stopped", null, study.id(), now);
                }
            });
            return;
        }
        if (study.state() == StudyState.COMPLETED || study.state() == StudyState.FAILED
                || study.state() == StudyState.CANCELLED) {
            QuarkusTransaction.requiringNew().run(() -> finish(job, run, study.state().name().toLowerCase(Locale.ROOT),
                    study.error(), study.id(), now));
        }
    }

    /** Ends a run and queues its notification, in the caller's transaction. */
    private void finish(OvernightJob job, OvernightJob.Run run, String outcome, String error, Long studyId, Instant now) {
        if (!jobs.finishRun(run.id(), outcome, error, now)) {
            return;
        }
        LOG.infof("Overnight job %d '%s': run %d %s%s", job.id(), job.name(), run.id(), outcome, error == null ? "" : ": " + error);
        if (job.webhookUrl() != null) {
            jobs.enqueueWebhook(run.id(), job.webhookUrl(), body(job, run, outcome, error, studyId, now), now);
        }
    }

    private String body(OvernightJob job, OvernightJob.Run run, String outcome, String error, Long studyId, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", "failed".equals(outcome) ? "job.run.failed" : "job.run.finished");
        body.put("job", Map.of("id", job.id(), "name", job.name()));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", run.id());
        r.put("scheduledFor", run.scheduledFor().toString());
        r.put("startedAt", run.startedAt().toString());
        r.put("finishedAt", now.toString());
        r.put("outcome", outcome);
        r.put("error", error);
        body.put("run", r);
        if (studyId != null) {
            StudyService.Progress p = studies.progress(studyId);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", studyId);
            s.put("state", p.state().name().toLowerCase(Locale.ROOT));
            s.put("trialsFinished", p.finished());
            s.put("budget", p.budget());
            s.put("bestDeltaM", Double.isNaN(p.bestDeltaM()) ? null : p.bestDeltaM());
            s.put("bestTrial", p.bestTrial());
            body.put("study", s);
            String base = config.publicUrl().map(u -> u.replaceAll("/+$", "")).orElse("");
            body.put("report", base + "/api/studies/" + studyId + "/report?format=html");
        }
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
