-- Indexes for the dashboard at 100,000 trials per study: the trials table filtered by state and
-- sorted by number or Δm, the best trial, and the hypervolume history in trial order.

-- state filter in number order; also answers the per-state counts from the index alone
CREATE INDEX trial_by_study_state ON trial (study_id, state, number);

-- the trials table sorted by Δm, best first (trials without Δm last)
CREATE INDEX trial_by_study_delta_m ON trial (study_id, delta_m DESC NULLS LAST, number);

-- TrialStore.best: the complete trial with the highest Δm
CREATE INDEX trial_best ON trial (study_id, delta_m DESC, number) WHERE state = 'complete';

CREATE INDEX hypervolume_by_study_trials ON hypervolume_history (study_id, trials, created_at);
