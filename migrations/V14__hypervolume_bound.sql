-- The hypervolume leaves the completion path (issue 18, item 2). A completion stores the front and bumps
-- its study's front_change row; server.HypervolumeWriter computes the hypervolume afterwards, exact or a
-- Monte-Carlo estimate with its 95 % bound, and stores it with the version of the front it read. A study
-- whose front_change.version exceeds every front_version of its history still owes a point (computed at
-- start after a restart).
ALTER TABLE hypervolume_history
    ADD COLUMN error95       DOUBLE PRECISION NOT NULL DEFAULT 0,    -- half-width of the 95 % interval; 0 when exact
    ADD COLUMN exact         BOOLEAN          NOT NULL DEFAULT TRUE, -- points before V14 were all exact
    ADD COLUMN front_version BIGINT           NOT NULL DEFAULT 0;    -- front_change.version the value is of

-- The latest change of each study's front: which completion it follows and how many trials were complete.
CREATE TABLE front_change (
    study_id   BIGINT      PRIMARY KEY REFERENCES study (id) ON DELETE CASCADE,
    version    BIGINT      NOT NULL,
    trial_id   BIGINT      NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
    trials     INT         NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL
);
