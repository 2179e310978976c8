-- A dual-stack node has an IPv6 pod CIDR (a /80) beside its IPv4 one: kept, so that an IPv6
-- pod address names the node that really holds it, found by the same kind of probe.
ALTER TABLE plan_nodes ADD COLUMN ipv6_pod_cidr TEXT;
CREATE INDEX plan_nodes_by_ipv6_pod_cidr ON plan_nodes (plan_id, ipv6_pod_cidr);
