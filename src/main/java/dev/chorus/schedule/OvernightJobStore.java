package dev.chorus.schedule;

import dev.chorus.schedule.OvernightJob;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;

/**
 * Scheduled jobs, their runs, and the webhook notifications still to deliver.
 *
 * @implNote Implementations are thread-safe and take part in the caller's transaction when there is
 *     one. {@link #startRun} records a run at most once per job and scheduled time, so a scheduler
 *     restarted at any moment starts nothing twice.
 */
public interface OvernightJobStore {

    /** What a new job is made of. */
    record NewJob(String name, String specYaml, String baseDir, String cron, String timeZone, Instant startAt,
                  LocalTime stopBy, Duration runFor, String webhookUrl, Instant nextRunAt) {
    }

    OvernightJob create(NewJob job, Instant now);

    Optional<OvernightJob> find(long id);

    /** Every job, newest first. */
    List<OvernightJob> list();

    /** Enables or disables a job, with its next run time (null: none). @return false when there is none */
    boolean update(long id, boolean enabled, Instant nextRunAt);

    /** Enabled jobs whose next run is due at {@code now}. */
    List<OvernightJob> due(Instant now);

    /**
     * Records that the run scheduled for {@code scheduledFor} started (as study {@code studyId}) and moves
     * the job's next run to {@code nextRunAt}. @return empty when that run was already recorded
     */
    Optional<OvernightJob.Run> startRun(long jobId, Instant scheduledFor, Long studyId, Instant startedAt, Instant stopAt,
                               Instant nextRunAt);

    /** Runs not finished yet, oldest first. */
    List<OvernightJob.Run> openRuns();

    /** Ends a run with its outcome. @return false when it had already ended */
    boolean finishRun(long runId, String outcome, String error, Instant now);

    /** A job's runs, newest first. */
    List<OvernightJob.Run> runs(long jobId, int limit);

    /** Queues a notification of a run's end, to be delivered from {@code now} on (once per run). */
    void enqueueWebhook(long runId, String url, String body, Instant now);

    /** Notifications due for a (next) delivery attempt. */
    List<Webhook> dueWebhooks(Instant now);

    /**
     * Records one delivery attempt: delivered, or failed with {@code error} and tried again at
     * {@code retryAt} (null: given up).
     */
    void webhookAttempted(long id, boolean delivered, String error, Instant retryAt, Instant now);

    /** The notification of one run, if any. */
    Optional<Webhook> webhookOf(long runId);

    /** A notification and its delivery so far. */
    record Webhook(long id, long runId, String url, String body, int attempts, Instant nextAttemptAt,
                   Instant deliveredAt, String lastError) {
    }
}
