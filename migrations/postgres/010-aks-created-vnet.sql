-- A node subnet in the VNet AKS creates for its cluster (see the SQLite migration 023-aks-created-vnet.sql).
ALTER TABLE plan_ranges ADD COLUMN aks_created_vnet smallint NOT NULL DEFAULT 0 CHECK (aks_created_vnet IN (0, 1));
UPDATE plan_ranges r
SET aks_created_vnet = 1, exclusive = 0
FROM plans p
WHERE p.id = r.plan_id AND r.kind = 'node-subnet'
  AND p.spec -> 'network' ->> 'nodeSubnet' = '10.224.0.0/16'
  AND p.spec -> 'network' -> 'vnetAddressSpace' IS NULL
  AND p.spec -> 'network' -> 'podSubnet' IS NULL
  AND coalesce(json_array_length(p.spec -> 'platformSubnets'), 0) = 0
  AND coalesce(p.spec -> 'outbound' ->> 'type', '') NOT IN ('userDefinedRouting', 'userAssignedNATGateway')
  AND NOT EXISTS (
    SELECT 1 FROM json_array_elements(p.spec -> 'nodePools') pool
    WHERE pool -> 'nodeSubnet' IS NOT NULL OR pool -> 'podSubnet' IS NOT NULL
  );
