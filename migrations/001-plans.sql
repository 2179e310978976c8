-- Plans: one AKS cluster's network design each, stored with defaults applied.
CREATE TABLE plans (
  seq              INTEGER PRIMARY KEY AUTOINCREMENT, -- creation order, for stable cursors
  id               TEXT    NOT NULL UNIQUE,
  name             TEXT    NOT NULL UNIQUE,
  revision         INTEGER NOT NULL CHECK (revision >= 1),
  created_at       TEXT    NOT NULL,
  updated_at       TEXT    NOT NULL,
  spec             TEXT    NOT NULL CHECK (json_valid(spec)),
  defaults_applied TEXT    NOT NULL CHECK (json_valid(defaults_applied))
);

-- The address ranges each plan occupies: one row per range, never per address or node.
-- Keys are the first and last address as 32 lowercase hex digits, so that text order is
-- numeric order for IPv4 and IPv6 alike (64-bit integers cannot hold IPv6).
CREATE TABLE plan_ranges (
  plan_id       TEXT    NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  kind          TEXT    NOT NULL,
  family        INTEGER NOT NULL CHECK (family IN (4, 6)),
  prefix_length INTEGER NOT NULL,
  cidr          TEXT    NOT NULL,
  first_key     TEXT    NOT NULL CHECK (length(first_key) = 32),
  last_key      TEXT    NOT NULL CHECK (length(last_key) = 32)
);

CREATE INDEX plan_ranges_by_first ON plan_ranges (family, first_key, last_key);
CREATE INDEX plan_ranges_by_plan ON plan_ranges (plan_id);
