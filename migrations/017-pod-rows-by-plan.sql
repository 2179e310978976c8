-- A plan's pod intervals in row order: lookups read a plan's records into memory page by page
-- (after row n), and catch up from the rows added after the last one they read.
CREATE INDEX pod_addresses_by_plan ON pod_addresses (plan_id, seq);
