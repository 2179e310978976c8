-- A range no other plan may overlap: a kubenet node subnet (one kubenet cluster per subnet,
-- and no other cluster on a kubenet cluster's subnet).
ALTER TABLE plan_ranges ADD COLUMN exclusive INTEGER NOT NULL DEFAULT 0 CHECK (exclusive IN (0, 1));
