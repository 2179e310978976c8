-- A recorded node's slot is found from its address and the plan's current layout when it is
-- read, never stored: a stored slot goes stale when the layout rules or the plan change.
-- Lookups find recorded nodes by node IP and by the pod CIDR holding an address instead.
DROP INDEX plan_nodes_by_slot;
ALTER TABLE plan_nodes DROP COLUMN slot_pool;
ALTER TABLE plan_nodes DROP COLUMN slot_index;
CREATE INDEX plan_nodes_by_node_ip ON plan_nodes (plan_id, node_ip);
CREATE INDEX plan_nodes_by_pod_cidr ON plan_nodes (plan_id, pod_cidr);
