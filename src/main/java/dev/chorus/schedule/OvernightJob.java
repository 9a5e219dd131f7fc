package dev.chorus.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A scheduled search: a study definition started on a cron schedule, or once at {@code startAt}.
 * Immutable snapshot.
 *
 * @param cron      five-field cron read in {@code timeZone}; null for a one-off job
 * @param stopBy    local time of day a run is stopped at (its next occurrence after the start), or null
 * @param runFor    or: how long after its start a run is stopped; null when neither is set (the study's
 *                  own budgets end it)
 * @param nextRunAt when the next run starts; null once a one-off job has run
 */
public record OvernightJob(long id, String name, String specYaml, String baseDir, String cron, String timeZone,
                  Instant startAt, LocalTime stopBy, Duration runFor, String webhookUrl, boolean enabled,
                  Instant nextRunAt, Instant createdAt) {

    /** When a run started at {@code start} must stop, or null. */
    public Instant stopAt(Instant start) {
        if (runFor != null) {
            return start.plus(runFor);
        }
        if (stopBy != null) {
            ZonedDateTime local = start.atZone(ZoneId.of(timeZone));
            ZonedDateTime stop = local.with(stopBy);
            return (stop.isAfter(local) ? stop : stop.plusDays(1)).toInstant();
        }
        return null;
    }

    /** One run of a job: the study it started and how it ended. */
    public record Run(long id, long jobId, Instant scheduledFor, Long studyId, Instant startedAt, Instant stopAt,
                      Instant finishedAt, String outcome, String error) {
    }
}
