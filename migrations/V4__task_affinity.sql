-- The inter-task lookahead affinity of a study (TAG warm start): affinity[i][j] is the effect of a step
-- on task i on task j's loss, tasks in the study's file order, as a JSON array of arrays of numbers.
CREATE TABLE task_affinity (
    study_id   BIGINT      PRIMARY KEY REFERENCES study (id) ON DELETE CASCADE,
    affinity   TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
