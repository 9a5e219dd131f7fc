-- Splits are stored with the study, so every trial and baseline of a study sees the same rows even
-- if the split algorithm changes; each per-task result names the baseline it was compared with.

CREATE TABLE study_split (
    study_id   BIGINT      PRIMARY KEY REFERENCES study (id) ON DELETE CASCADE,
    data_hash  TEXT        NOT NULL,                       -- Dataset.contentHash() when the split was made
    train      INT[]       NOT NULL,
    validation INT[]       NOT NULL,
    test       INT[]       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

ALTER TABLE trial_result ADD COLUMN baseline_hash TEXT REFERENCES baseline (hash);
