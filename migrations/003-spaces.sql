-- Address spaces: blocks a platform team owns and carves subnets from.
CREATE TABLE spaces (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  description TEXT,
  created_at  TEXT NOT NULL
);

CREATE TABLE space_cidrs (
  space_id  TEXT    NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  family    INTEGER NOT NULL CHECK (family IN (4, 6)),
  cidr      TEXT    NOT NULL,
  PRIMARY KEY (space_id, position)
);

-- One row per allocated block, never per address. Keys as in plan_ranges.
CREATE TABLE allocations (
  id         TEXT    PRIMARY KEY,
  space_id   TEXT    NOT NULL REFERENCES spaces (id),
  family     INTEGER NOT NULL CHECK (family IN (4, 6)),
  cidr       TEXT    NOT NULL,
  first_key  TEXT    NOT NULL CHECK (length(first_key) = 32),
  last_key   TEXT    NOT NULL CHECK (length(last_key) = 32),
  purpose    TEXT    NOT NULL,
  plan_id    TEXT    REFERENCES plans (id),
  created_at TEXT    NOT NULL
);

CREATE INDEX allocations_by_space ON allocations (space_id, family, first_key);
CREATE INDEX allocations_by_range ON allocations (family, first_key, last_key);

-- Idempotency-Key of an allocation request: the same key and body get the same answer.
CREATE TABLE idempotency_keys (
  space_id      TEXT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
  key           TEXT NOT NULL,
  fingerprint   TEXT NOT NULL,
  allocation_id TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (space_id, key)
);
