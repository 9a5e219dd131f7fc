-- The hypervolume of a study's Pareto front after each completed trial.
CREATE TABLE hypervolume_history (
    study_id   BIGINT           NOT NULL REFERENCES study (id) ON DELETE CASCADE,
    trials     INT              NOT NULL,                  -- complete trials when it was computed
    trial_id   BIGINT           NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
    value      DOUBLE PRECISION NOT NULL,
    created_at TIMESTAMPTZ      NOT NULL,
    PRIMARY KEY (study_id, trial_id)
);
