-- Labels of plans and spaces: one row per key, indexed so that a selector
-- (key=value, or key present) finds its resources without reading every one.
CREATE TABLE plan_labels (
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  key     TEXT NOT NULL,
  value   TEXT NOT NULL,
  PRIMARY KEY (plan_id, key)
);
CREATE INDEX plan_labels_by_key ON plan_labels (key, value);

CREATE TABLE space_labels (
  space_id TEXT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
  key      TEXT NOT NULL,
  value    TEXT NOT NULL,
  PRIMARY KEY (space_id, key)
);
CREATE INDEX space_labels_by_key ON space_labels (key, value);

-- Spaces page in creation order, as plans do.
ALTER TABLE spaces ADD COLUMN seq INTEGER;
UPDATE spaces SET seq = rowid;
CREATE UNIQUE INDEX spaces_by_seq ON spaces (seq);
