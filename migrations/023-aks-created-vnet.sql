-- A node subnet in the VNet AKS creates for its cluster (the design names no VNet of its own)
-- is in no other cluster's VNet: it clashes with no plan and no space. Plans stored before
-- are marked from their specs by the rule the service applies (inAksCreatedVnet): AKS's
-- default subnet, no VNet address space, pod subnet, pool subnet or platform subnet, and no
-- egress that needs a VNet of one's own.
ALTER TABLE plan_ranges ADD COLUMN aks_created_vnet INTEGER NOT NULL DEFAULT 0;
UPDATE plan_ranges
SET aks_created_vnet = 1
WHERE kind = 'node-subnet' AND plan_id IN (
  SELECT p.id FROM plans p
  WHERE json_extract(p.spec, '$.network.nodeSubnet') = '10.224.0.0/16'
    AND json_extract(p.spec, '$.network.vnetAddressSpace') IS NULL
    AND json_extract(p.spec, '$.network.podSubnet') IS NULL
    AND coalesce(json_array_length(p.spec, '$.platformSubnets'), 0) = 0
    AND coalesce(json_extract(p.spec, '$.outbound.type'), '') NOT IN ('userDefinedRouting', 'userAssignedNATGateway')
    AND NOT EXISTS (
      SELECT 1 FROM json_each(p.spec, '$.nodePools') pool
      WHERE json_extract(pool.value, '$.nodeSubnet') IS NOT NULL OR json_extract(pool.value, '$.podSubnet') IS NOT NULL
    )
);
UPDATE plan_ranges SET exclusive = 0 WHERE aks_created_vnet = 1;
