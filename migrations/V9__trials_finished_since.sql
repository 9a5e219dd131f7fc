-- The coordinator tops up a running study's search history with the trials finished since its last
-- read (study.SearchHistory) instead of reading every finished trial on every refill.
CREATE INDEX trial_finished_since ON trial (study_id, finished_at) WHERE state IN ('complete', 'pruned', 'failed');
