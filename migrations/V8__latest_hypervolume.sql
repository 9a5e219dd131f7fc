-- The latest hypervolume of a study is read on every completion (a dominated newcomer keeps it).
CREATE INDEX hypervolume_latest ON hypervolume_history (study_id, trials DESC, created_at DESC);
