-- The name of a platform subnet a plan holds: plans sharing one subnet must name it alike.
ALTER TABLE plan_ranges ADD COLUMN subnet_name TEXT;
