-- A pod subnet's allocation mode (dynamic or static-block): clusters may share a dynamic pod
-- subnet, but not one in static block mode with a dynamic one. Ranges stored before take the
-- mode of their plan's spec; a spec stored before the default was written out is dynamic,
-- the mode a pod subnet plan takes without one.
ALTER TABLE plan_ranges ADD COLUMN pod_ip_allocation TEXT;
UPDATE plan_ranges
SET pod_ip_allocation = coalesce(
  (SELECT json_extract(p.spec, '$.network.podIpAllocation') FROM plans p WHERE p.id = plan_ranges.plan_id),
  'dynamic'
)
WHERE kind = 'pod-subnet';
