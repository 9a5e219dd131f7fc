-- The dashboard at 1,000,000 trials per study (issue 18, item 5): the trials table sorted by models or
-- by finish time reads its page from an index in order (by offset or by keyset, store.TrialPages)
-- instead of sorting every trial of the study. Number and Δm orders use V1's and V7's indexes.
CREATE INDEX trial_by_study_models ON trial (study_id, models, number);
CREATE INDEX trial_by_study_finished ON trial (study_id, finished_at, number);
