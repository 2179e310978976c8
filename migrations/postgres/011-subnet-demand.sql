-- The addresses a cluster takes in a platform subnet other clusters may share (see the SQLite
-- migration 024-subnet-demand.sql). A spec whose platformSubnets is no array has none.
ALTER TABLE plan_ranges ADD COLUMN subnet_demand integer;
UPDATE plan_ranges r
SET subnet_demand = CASE s ->> 'role'
    WHEN 'api-server' THEN 9
    WHEN 'private-endpoints' THEN (p.spec -> 'reservations' ->> 'privateEndpoints')::integer
    WHEN 'internal-load-balancers' THEN (p.spec -> 'reservations' ->> 'internalLoadBalancers')::integer
  END
FROM plans p, json_array_elements(CASE WHEN json_typeof(p.spec -> 'platformSubnets') = 'array' THEN p.spec -> 'platformSubnets' ELSE '[]'::json END) s
WHERE p.id = r.plan_id AND r.kind = 'platform-subnet' AND s ->> 'name' = r.subnet_name;
-- Only the first subnet of each role takes them.
UPDATE plan_ranges r
SET subnet_demand = NULL
FROM plans p, json_array_elements(CASE WHEN json_typeof(p.spec -> 'platformSubnets') = 'array' THEN p.spec -> 'platformSubnets' ELSE '[]'::json END) mine
WHERE p.id = r.plan_id AND r.kind = 'platform-subnet' AND r.subnet_demand IS NOT NULL
  AND mine ->> 'name' = r.subnet_name
  AND mine ->> 'role' IN ('api-server', 'private-endpoints', 'internal-load-balancers')
  AND EXISTS (
    SELECT 1 FROM plan_ranges earlier, json_array_elements(CASE WHEN json_typeof(p.spec -> 'platformSubnets') = 'array' THEN p.spec -> 'platformSubnets' ELSE '[]'::json END) theirs
    WHERE earlier.plan_id = r.plan_id AND earlier.kind = 'platform-subnet' AND earlier.position < r.position
      AND theirs ->> 'name' = earlier.subnet_name AND theirs ->> 'role' = mine ->> 'role'
  );
UPDATE plan_ranges SET subnet_demand = NULL WHERE subnet_demand = 0;
