-- A pod subnet's allocation mode (see the SQLite migration 021-pod-ip-allocation.sql).
ALTER TABLE plan_ranges ADD COLUMN pod_ip_allocation text;
UPDATE plan_ranges r
SET pod_ip_allocation = coalesce(p.spec -> 'network' ->> 'podIpAllocation', 'dynamic')
FROM plans p
WHERE p.id = r.plan_id AND r.kind = 'pod-subnet';
