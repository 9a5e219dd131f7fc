package dev.chorus.store;

import dev.chorus.schedule.OvernightJob;
import dev.chorus.schedule.OvernightJobStore;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link OvernightJobStore} on PostgreSQL. */
@ApplicationScoped
class JdbcOvernightJobStore implements OvernightJobStore {

    private final AgroalDataSource db;

    JdbcOvernightJobStore(AgroalDataSource db) {
        this.db = db;
    }

    @Override
    public OvernightJob create(NewJob j, Instant now) {
        return one("create job " + j.name(), RowMapping::job, """
                INSERT INTO job (name, spec_yaml, base_dir, cron, time_zone, start_at, stop_by, run_for_s, webhook_url,
                                 enabled, next_run_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE, ?, ?) RETURNING *""",
                j.name(), j.specYaml(), j.baseDir(), j.cron(), j.timeZone(), RowMapping.timestamp(j.startAt()),
                j.stopBy() == null ? null : j.stopBy().toString(), j.runFor() == null ? null : j.runFor().toSeconds(),
                j.webhookUrl(), RowMapping.timestamp(j.nextRunAt()), RowMapping.timestamp(now)).orElseThrow();
    }

    @Override
    public Optional<OvernightJob> find(long id) {
        return one("read job " + id, RowMapping::job, "SELECT * FROM job WHERE id = ?", id);
    }

    @Override
    public List<OvernightJob> list() {
        return many("list jobs", RowMapping::job, "SELECT * FROM job ORDER BY id DESC");
    }

    @Override
    public boolean update(long id, boolean enabled, Instant nextRunAt) {
        return update("update job " + id, "UPDATE job SET enabled = ?, next_run_at = ? WHERE id = ?",
                enabled, RowMapping.timestamp(nextRunAt), id) == 1;
    }

    @Override
    public List<OvernightJob> due(Instant now) {
        return many("find due jobs", RowMapping::job,
                "SELECT * FROM job WHERE enabled AND next_run_at <= ? ORDER BY next_run_at, id", RowMapping.timestamp(now));
    }

    @Override
    public Optional<OvernightJob.Run> startRun(long jobId, Instant scheduledFor, Long studyId, Instant startedAt, Instant stopAt,
                                      Instant nextRunAt) {
        Optional<OvernightJob.Run> run = one("start a run of job " + jobId, RowMapping::jobRun, """
                INSERT INTO job_run (job_id, scheduled_for, study_id, started_at, stop_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (job_id, scheduled_for) DO NOTHING RETURNING *""",
                jobId, RowMapping.timestamp(scheduledFor), studyId, RowMapping.timestamp(startedAt), RowMapping.timestamp(stopAt));
        if (run.isPresent()) {
            update("move job " + jobId + " on", "UPDATE job SET next_run_at = ? WHERE id = ?",
                    RowMapping.timestamp(nextRunAt), jobId);
        }
        return run;
    }

    @Override
    public List<OvernightJob.Run> openRuns() {
        return many("list open runs", RowMapping::jobRun, "SELECT * FROM job_run WHERE finished_at IS NULL ORDER BY id");
    }

    @Override
    public boolean finishRun(long runId, String outcome, String error, Instant now) {
        return update("finish run " + runId,
                "UPDATE job_run SET outcome = ?, error = ?, finished_at = ? WHERE id = ? AND finished_at IS NULL",
                outcome, error, RowMapping.timestamp(now), runId) == 1;
    }

    @Override
    public List<OvernightJob.Run> runs(long jobId, int limit) {
        return many("list runs of job " + jobId, RowMapping::jobRun,
                "SELECT * FROM job_run WHERE job_id = ? ORDER BY scheduled_for DESC, id DESC LIMIT ?", jobId, limit);
    }

    @Override
    public void enqueueWebhook(long runId, String url, String body, Instant now) {
        update("queue the webhook of run " + runId, """
                INSERT INTO webhook_delivery (job_run_id, url, body, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (job_run_id) DO NOTHING""", runId, url, body, RowMapping.timestamp(now), RowMapping.timestamp(now));
    }

    @Override
    public List<Webhook> dueWebhooks(Instant now) {
        return many("find due webhooks", RowMapping::webhook,
                "SELECT * FROM webhook_delivery WHERE next_attempt_at <= ? ORDER BY next_attempt_at, id",
                RowMapping.timestamp(now));
    }

    @Override
    public void webhookAttempted(long id, boolean delivered, String error, Instant retryAt, Instant now) {
        update("record a webhook attempt", """
                UPDATE webhook_delivery SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
                       delivered_at = CASE WHEN ? THEN ?::timestamptz ELSE NULL END WHERE id = ?""",
                error, delivered ? null : RowMapping.timestamp(retryAt), delivered, RowMapping.timestamp(now), id);
    }

    @Override
    public Optional<Webhook> webhookOf(long runId) {
        return one("read the webhook of run " + runId, RowMapping::webhook,
                "SELECT * FROM webhook_delivery WHERE job_run_id = ?", runId);
    }

    private <T> Optional<T> one(String what, Statements.RowMapper<T> mapper, String sql, Object... args) {
        return Statements.one(db, what, mapper, sql, args);
    }

    private <T> List<T> many(String what, Statements.RowMapper<T> mapper, String sql, Object... args) {
        return Statements.many(db, what, mapper, sql, args);
    }

    private int update(String what, String sql, Object... args) {
        return Statements.update(db, what, sql, args);
    }
}
