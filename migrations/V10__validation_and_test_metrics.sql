-- Validation for the search, test for the answer. Every per-task result and every baseline now holds
-- two metrics: the one on the validation split (at the best epoch, which early stopping chose on that
-- same split), which the search, the pruners, the front, the hypervolume, the constraints and the
-- recommendation read; and the one on the held-out test split, which is reported and never chosen by.
-- The existing columns value / baseline / delta / delta_m keep their test meaning under test_* names.
--
-- Rows stored before this version were chosen by their test metric and have no validation metric;
-- their validation columns are filled with the test values so that older studies still rank, and
-- their baselines are never reused: new baselines are keyed by a new trainer version in their hash.

ALTER TABLE trial_result RENAME COLUMN value TO test_value;
ALTER TABLE trial_result RENAME COLUMN baseline TO test_baseline;
ALTER TABLE trial_result RENAME COLUMN delta TO test_delta;
ALTER TABLE trial_result ADD COLUMN value DOUBLE PRECISION;
ALTER TABLE trial_result ADD COLUMN baseline DOUBLE PRECISION;
ALTER TABLE trial_result ADD COLUMN delta DOUBLE PRECISION;
UPDATE trial_result SET value = test_value, baseline = test_baseline, delta = test_delta;
ALTER TABLE trial_result ALTER COLUMN value SET NOT NULL;
ALTER TABLE trial_result ALTER COLUMN baseline SET NOT NULL;
ALTER TABLE trial_result ALTER COLUMN delta SET NOT NULL;
COMMENT ON COLUMN trial_result.value IS 'the task''s metric on the validation split, at the best epoch';
COMMENT ON COLUMN trial_result.test_value IS 'the same metric on the held-out test split; never chosen by';

ALTER TABLE trial ADD COLUMN test_delta_m DOUBLE PRECISION;
UPDATE trial SET test_delta_m = delta_m;
COMMENT ON COLUMN trial.delta_m IS 'Δm in percent on the validation split: what the search ranks by';
COMMENT ON COLUMN trial.test_delta_m IS 'Δm in percent on the held-out test split';

ALTER TABLE baseline RENAME COLUMN value TO test_value;
ALTER TABLE baseline ADD COLUMN value DOUBLE PRECISION;
UPDATE baseline SET value = test_value;
ALTER TABLE baseline ALTER COLUMN value SET NOT NULL;
COMMENT ON COLUMN baseline.value IS 'the task''s metric on the validation split, at the best epoch';
