-- Catching up a plan's pod intervals in memory (see the SQLite migration 017-pod-rows-by-plan.sql).
CREATE INDEX pod_addresses_by_plan ON pod_addresses (plan_id, seq);
ALTER TABLE pod_imports ADD COLUMN imports integer NOT NULL DEFAULT 0;
ALTER TABLE pod_imports ADD COLUMN pruned integer NOT NULL DEFAULT 0;
ALTER TABLE pod_addresses ADD COLUMN closed_by integer;
CREATE INDEX pod_addresses_closed_by ON pod_addresses (plan_id, closed_by, seq) WHERE closed_by IS NOT NULL;
