-- Leases for the trial protocol: a running trial is held by one claim until its lease runs out;
-- the claim that finished a trial stays recorded, so repeating a finishing call is idempotent.
ALTER TABLE trial
    ADD COLUMN claim_id    UUID,
    ADD COLUMN lease_until TIMESTAMPTZ;

CREATE INDEX trial_running_leases ON trial (lease_until) WHERE state = 'running';
