-- The stability check (evaluation.stability). After the search, the recommended configuration is
-- re-run with its loss weights moved by a small step and under the neighbouring weighting methods, on
-- the same replicates (seeds and rows) as its own runs, so each variant is compared with it run for
-- run. A variant's runs are trials (workers claim them, they have leases and can fail) that name the
-- recommended configuration's first run; they are never candidates of the search: the sampler, the
-- front, the references, the budget and the trial list leave them out.

ALTER TABLE trial ADD COLUMN variant_of BIGINT REFERENCES trial (id) ON DELETE CASCADE;
CREATE INDEX trial_variants ON trial (variant_of) WHERE variant_of IS NOT NULL;
