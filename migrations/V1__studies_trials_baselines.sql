-- Chorus schema, version 1: studies, their tasks, trials with per-task results, cached
-- single-task baselines and Pareto-front membership.

CREATE TABLE study (
    id                    BIGSERIAL PRIMARY KEY,
    name                  TEXT        NOT NULL,
    spec_yaml             TEXT        NOT NULL,            -- the submitted file, verbatim
    base_dir              TEXT        NOT NULL,            -- what relative paths in the file resolve against
    state                 TEXT        NOT NULL CHECK (state IN
                              ('created', 'running', 'paused', 'completed', 'failed', 'cancelled')),
    seed                  BIGINT      NOT NULL,
    sampler               TEXT        NOT NULL,
    max_trials            INT         NOT NULL CHECK (max_trials > 0),
    max_wall_clock_s      BIGINT      NOT NULL CHECK (max_wall_clock_s > 0),
    error                 TEXT,
    created_at            TIMESTAMPTZ NOT NULL,
    started_at            TIMESTAMPTZ,
    finished_at           TIMESTAMPTZ
);

CREATE TABLE study_task (
    study_id  BIGINT NOT NULL REFERENCES study (id) ON DELETE CASCADE,
    position  INT    NOT NULL,                             -- order in the file; indexes candidate genes
    name      TEXT   NOT NULL,
    type      TEXT   NOT NULL CHECK (type IN ('binary', 'multiclass', 'regression')),
    metric    TEXT   NOT NULL,
    direction TEXT   NOT NULL CHECK (direction IN ('maximize', 'minimize')),
    PRIMARY KEY (study_id, position),
    UNIQUE (study_id, name)
);

CREATE TABLE trial (
    id          BIGSERIAL PRIMARY KEY,
    study_id    BIGINT      NOT NULL REFERENCES study (id) ON DELETE CASCADE,
    number      INT         NOT NULL,                      -- 0, 1, 2, ... within the study
    generation  INT         NOT NULL,
    candidate   JSONB       NOT NULL,
    models      INT         NOT NULL CHECK (models > 0),
    state       TEXT        NOT NULL CHECK (state IN ('waiting', 'running', 'complete', 'pruned', 'failed')),
    attempts    INT         NOT NULL DEFAULT 0,
    worker      TEXT,
    delta_m     DOUBLE PRECISION,                          -- percent; positive = MTL helped
    error       TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    UNIQUE (study_id, number)
);
CREATE INDEX trial_by_study ON trial (study_id, number);
CREATE INDEX trial_waiting ON trial (id) WHERE state = 'waiting';

CREATE TABLE trial_result (
    trial_id BIGINT           NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
    task     TEXT             NOT NULL,
    value    DOUBLE PRECISION NOT NULL,                    -- the task's metric on the test split
    baseline DOUBLE PRECISION NOT NULL,                    -- the same metric of its single-task baseline
    delta    DOUBLE PRECISION NOT NULL,                    -- percent, sign flipped for lower-is-better
    PRIMARY KEY (trial_id, task)
);

-- Per-epoch validation metrics, the intermediate values pruners read.
CREATE TABLE trial_intermediate (
    trial_id BIGINT           NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
    step     INT              NOT NULL,
    task     TEXT             NOT NULL,
    value    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (trial_id, step, task)
);

-- Single-task baselines, shared by every study with the same data, task and training settings.
CREATE TABLE baseline (
    hash          TEXT             PRIMARY KEY,            -- SHA-256 of data + task + settings + seed
    task          TEXT             NOT NULL,
    metric        TEXT             NOT NULL,
    value         DOUBLE PRECISION NOT NULL,
    settings      JSONB            NOT NULL,
    train_seconds DOUBLE PRECISION NOT NULL,
    created_at    TIMESTAMPTZ      NOT NULL
);

CREATE TABLE pareto_member (
    study_id BIGINT NOT NULL REFERENCES study (id) ON DELETE CASCADE,
    trial_id BIGINT NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
    PRIMARY KEY (study_id, trial_id)
);
