-- Which pod held which address, and when: one interval per assignment, closed when an import
-- no longer sees it. Times are RFC 3339 UTC with milliseconds, so they order as text.
CREATE TABLE pod_addresses (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  plan_id      TEXT    NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  ip           TEXT    NOT NULL,
  namespace    TEXT    NOT NULL,
  pod          TEXT    NOT NULL,
  owner_kind   TEXT,
  owner_name   TEXT,
  node         TEXT,
  host_network INTEGER NOT NULL,
  from_at      TEXT    NOT NULL,
  to_at        TEXT
);
CREATE INDEX pod_addresses_by_ip ON pod_addresses (plan_id, ip, from_at);
CREATE INDEX pod_addresses_open ON pod_addresses (plan_id) WHERE to_at IS NULL;
CREATE INDEX pod_addresses_closed ON pod_addresses (to_at) WHERE to_at IS NOT NULL;

-- The time of each plan's last pod import: later imports may not go back before it.
CREATE TABLE pod_imports (
  plan_id     TEXT PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
  observed_at TEXT NOT NULL
);

-- A plan's first pod import changes what lookups ask of it, as its first node does.
CREATE TRIGGER plan_changes_on_first_pods AFTER INSERT ON pod_imports
BEGIN
  INSERT INTO plan_changes (plan_id) VALUES (NEW.plan_id);
END;
