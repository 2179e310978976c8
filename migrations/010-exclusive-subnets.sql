-- A new plan's node subnet is checked against the exclusive (kubenet) subnets that overlap it;
-- this index holds only those, so the check does not read every plan sharing a subnet.
CREATE INDEX plan_ranges_exclusive ON plan_ranges (family, first_key, last_key) WHERE exclusive = 1 AND kind = 'node-subnet';
