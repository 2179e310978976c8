-- A plan's pod intervals in row order (see the SQLite migration 017-pod-rows-by-plan.sql).
CREATE INDEX pod_addresses_by_plan ON pod_addresses (plan_id, seq);
