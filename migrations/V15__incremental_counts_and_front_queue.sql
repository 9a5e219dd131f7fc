-- A trial's hot path costs a constant number of statements, whatever the size of its study (issue 18, item 1).
--
-- 1. Trial counts by state, kept incrementally. Triggers append a delta row for every trial inserted,
--    deleted, or moved from one state to another (stability variants excluded, as TrialStore.counts
--    excludes them); a study's counts are the sums of its rows. Rows are only ever appended by the
--    hot path, so concurrent claims and completions never wait for one another on a counter row; the
--    coordinator folds each study's rows into one per state on every tick (TrialStore.compactCounts).
CREATE TABLE trial_count (
    study_id BIGINT NOT NULL,   -- no foreign key: its check would take a lock on the study row
    state    TEXT   NOT NULL,
    n        BIGINT NOT NULL
);
CREATE INDEX trial_count_by_study ON trial_count (study_id);

CREATE FUNCTION trial_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO trial_count (study_id, state, n)
    SELECT study_id, state, count(*) FROM inserted WHERE variant_of IS NULL GROUP BY study_id, state;
    RETURN NULL;
END $$;

CREATE FUNCTION trial_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO trial_count (study_id, state, n)
    SELECT study_id, state, -count(*) FROM deleted WHERE variant_of IS NULL GROUP BY study_id, state;
    RETURN NULL;
END $$;

CREATE FUNCTION trial_count_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO trial_count (study_id, state, n) VALUES (OLD.study_id, OLD.state, -1), (NEW.study_id, NEW.state, 1);
    RETURN NULL;
END $$;

CREATE TRIGGER trial_count_inserted AFTER INSERT ON trial REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION trial_count_inserted();
CREATE TRIGGER trial_count_deleted AFTER DELETE ON trial REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION trial_count_deleted();
CREATE TRIGGER trial_count_moved AFTER UPDATE OF state ON trial FOR EACH ROW
    WHEN (OLD.state IS DISTINCT FROM NEW.state AND OLD.variant_of IS NULL)
    EXECUTE FUNCTION trial_count_moved();

INSERT INTO trial_count (study_id, state, n)
SELECT study_id, state, count(*) FROM trial WHERE variant_of IS NULL GROUP BY study_id, state;

-- TrialStore.counts' highest generation: one index probe instead of a scan of the study.
CREATE INDEX trial_by_study_generation ON trial (study_id, generation) WHERE variant_of IS NULL;

-- 2. Completions owed to the front. A completion commits its results with the mark set; the study's
--    front then takes every marked completion in one transaction (server.FrontBatches) and clears the
--    marks, so completions of one study no longer wait for one another under the front's lock, and a
--    crash between the two leaves the mark for the next start.
ALTER TABLE trial ADD COLUMN front_owed BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX trial_front_owed ON trial (study_id, finished_at, id) WHERE front_owed;
