-- The name of a platform subnet a plan holds (see the SQLite migration 016-range-names.sql).
ALTER TABLE plan_ranges ADD COLUMN subnet_name text;
