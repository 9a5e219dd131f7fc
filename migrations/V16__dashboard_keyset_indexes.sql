-- The dashboard at 1,000,000 trials per study (issue 18, item 5): every order of the trials table reads
-- its page from an index in that order, by offset or by keyset (store.TrialPages), instead of sorting the
-- study's trials. A keyset page reads a key's non-null values ascending or descending (col, number) and
-- its nulls by number: the plain ascending index serves both directions. A descending page by offset
-- puts nulls last, which only an index built that way gives in order; V7's Δm index had the number
-- ascending, so the planner sorted instead.
DROP INDEX trial_by_study_delta_m;
CREATE INDEX trial_by_study_delta_m ON trial (study_id, delta_m, number);
CREATE INDEX trial_by_study_delta_m_desc ON trial (study_id, delta_m DESC NULLS LAST, number DESC);
CREATE INDEX trial_by_study_models ON trial (study_id, models, number);
CREATE INDEX trial_by_study_finished ON trial (study_id, finished_at, number);
CREATE INDEX trial_by_study_finished_desc ON trial (study_id, finished_at DESC NULLS LAST, number DESC);
