-- Scheduled search jobs: a study definition started on a cron schedule (or once, at a given time),
-- optionally stopped at a stop-by time, whose end is reported to a webhook.
CREATE TABLE job (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT        NOT NULL,
    spec_yaml   TEXT        NOT NULL,            -- the study definition each run creates a study from
    base_dir    TEXT        NOT NULL,            -- what relative paths in it resolve against
    cron        TEXT,                            -- five-field cron; NULL for a one-off job
    time_zone   TEXT        NOT NULL,            -- the zone the cron and stop_by_time are read in
    start_at    TIMESTAMPTZ,                     -- a one-off job's start
    stop_by     TEXT,                            -- HH:MM local time a run is stopped at, or NULL
    run_for_s   BIGINT CHECK (run_for_s > 0),    -- or: how long after its start a run is stopped
    webhook_url TEXT,
    enabled     BOOLEAN     NOT NULL,
    next_run_at TIMESTAMPTZ,                     -- NULL: nothing more to run
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX job_due ON job (next_run_at) WHERE enabled;

CREATE TABLE job_run (
    id            BIGSERIAL PRIMARY KEY,
    job_id        BIGINT      NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    scheduled_for TIMESTAMPTZ NOT NULL,
    study_id      BIGINT REFERENCES study (id) ON DELETE SET NULL,
    started_at    TIMESTAMPTZ NOT NULL,
    stop_at       TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ,
    outcome       TEXT,                          -- completed | stopped | failed | cancelled
    error         TEXT,
    UNIQUE (job_id, scheduled_for)               -- each scheduled time starts one run, restarts included
);
CREATE INDEX job_run_open ON job_run (id) WHERE finished_at IS NULL;

-- Webhook notifications, kept until delivered so that a restart or an unreachable receiver loses none.
CREATE TABLE webhook_delivery (
    id              BIGSERIAL PRIMARY KEY,
    job_run_id      BIGINT      NOT NULL UNIQUE REFERENCES job_run (id) ON DELETE CASCADE,
    url             TEXT        NOT NULL,
    body            TEXT        NOT NULL,
    attempts        INT         NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ,                 -- NULL once delivered or given up
    delivered_at    TIMESTAMPTZ,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_due ON webhook_delivery (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
