-- Real nodes recorded against a plan, with the slot their address falls in (null: drift).
CREATE TABLE plan_nodes (
  plan_id     TEXT    NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  name        TEXT    NOT NULL,
  pool        TEXT    NOT NULL,
  node_ip     TEXT,
  pod_cidr    TEXT,
  slot_pool   TEXT,
  slot_index  INTEGER,
  recorded_at TEXT    NOT NULL,
  PRIMARY KEY (plan_id, name)
);

CREATE INDEX plan_nodes_by_slot ON plan_nodes (plan_id, slot_pool, slot_index);
