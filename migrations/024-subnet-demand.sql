-- The addresses a cluster takes in a platform subnet other clusters may share: 9 in its API
-- server VNet integration subnet (AKS reserves at least 9 a cluster), its private endpoints or
-- internal load balancer frontends in the subnet that holds them: the first of each role.
-- Clusters sharing the subnet must fit in it together. Ranges stored before are filled in from
-- their plans' specs, where names and reservations are written out; the rows of a plan's
-- platform subnets are in its spec's order, so the first row of a role is its holder.
ALTER TABLE plan_ranges ADD COLUMN subnet_demand INTEGER;
UPDATE plan_ranges
SET subnet_demand = CASE (
    SELECT json_extract(s.value, '$.role') FROM plans p, json_each(p.spec, '$.platformSubnets') s
    WHERE p.id = plan_ranges.plan_id AND json_extract(s.value, '$.name') = plan_ranges.subnet_name
  )
  WHEN 'api-server' THEN 9
  WHEN 'private-endpoints' THEN (
    SELECT json_extract(p.spec, '$.reservations.privateEndpoints') FROM plans p WHERE p.id = plan_ranges.plan_id
  )
  WHEN 'internal-load-balancers' THEN (
    SELECT json_extract(p.spec, '$.reservations.internalLoadBalancers') FROM plans p WHERE p.id = plan_ranges.plan_id
  )
END
WHERE kind = 'platform-subnet';
-- Only the first subnet of each role takes them.
UPDATE plan_ranges
SET subnet_demand = NULL
WHERE kind = 'platform-subnet' AND subnet_demand IS NOT NULL AND EXISTS (
  SELECT 1 FROM plan_ranges earlier, plans p, json_each(p.spec, '$.platformSubnets') mine, json_each(p.spec, '$.platformSubnets') theirs
  WHERE earlier.plan_id = plan_ranges.plan_id AND earlier.kind = 'platform-subnet' AND earlier.rowid < plan_ranges.rowid
    AND p.id = plan_ranges.plan_id
    AND json_extract(mine.value, '$.name') = plan_ranges.subnet_name
    AND json_extract(theirs.value, '$.name') = earlier.subnet_name
    AND json_extract(mine.value, '$.role') = json_extract(theirs.value, '$.role')
    AND json_extract(mine.value, '$.role') IN ('api-server', 'private-endpoints', 'internal-load-balancers')
);
UPDATE plan_ranges SET subnet_demand = NULL WHERE subnet_demand = 0;
