-- Repeated runs of one configuration (evaluation.repeats). A configuration that is about to enter the
-- Pareto front is trained again on new training seeds and new train/validation resamples (the test
-- rows stay put), as SMAC's intensifier races a challenger before it replaces an incumbent. A repeat
-- is a trial of its own (it counts toward the budget, has a lease, can fail) that names the trial whose
-- configuration it repeats; replicate 0 is the configuration's first run.

ALTER TABLE trial ADD COLUMN replicate INT NOT NULL DEFAULT 0 CHECK (replicate >= 0);
ALTER TABLE trial ADD COLUMN repeat_of BIGINT REFERENCES trial (id) ON DELETE CASCADE;
ALTER TABLE trial ADD CONSTRAINT trial_repeat_has_replicate CHECK ((repeat_of IS NULL) = (replicate = 0));
CREATE INDEX trial_repeats ON trial (repeat_of) WHERE repeat_of IS NOT NULL;
