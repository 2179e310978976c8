-- Who changed what: one entry per committed write, written in the write's own transaction.
CREATE TABLE audit_entries (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  at              TEXT    NOT NULL,
  actor_kind      TEXT    NOT NULL,
  actor_id        TEXT    NOT NULL,
  actor_name      TEXT    NOT NULL,
  action          TEXT    NOT NULL,
  target_type     TEXT    NOT NULL,
  target_id       TEXT    NOT NULL,
  target_name     TEXT,
  revision_before INTEGER,
  revision_after  INTEGER,
  request_id      TEXT
);
CREATE INDEX audit_by_target ON audit_entries (target_id, seq);
CREATE INDEX audit_by_actor ON audit_entries (actor_id, seq);
CREATE INDEX audit_by_action ON audit_entries (action, seq);
CREATE INDEX audit_by_time ON audit_entries (at);

-- Every revision of every plan, kept after the plan is deleted.
CREATE TABLE plan_revisions (
  plan_id          TEXT    NOT NULL,
  revision         INTEGER NOT NULL,
  name             TEXT    NOT NULL,
  at               TEXT    NOT NULL,
  actor_kind       TEXT    NOT NULL,
  actor_id         TEXT    NOT NULL,
  actor_name       TEXT    NOT NULL,
  spec             TEXT    NOT NULL CHECK (json_valid(spec)),
  defaults_applied TEXT    NOT NULL CHECK (json_valid(defaults_applied)),
  PRIMARY KEY (plan_id, revision)
);

-- Plans stored before history was kept start it at their current revision.
INSERT INTO plan_revisions (plan_id, revision, name, at, actor_kind, actor_id, actor_name, spec, defaults_applied)
SELECT id, revision, name, updated_at, 'system', 'system', 'before history', spec, defaults_applied FROM plans;

-- Idempotency keys belong to the caller that sent them: two teams cannot collide on a key.
CREATE TABLE idempotency_keys_by_actor (
  space_id      TEXT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
  actor_id      TEXT NOT NULL,
  key           TEXT NOT NULL,
  fingerprint   TEXT NOT NULL,
  allocation_id TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  response      TEXT CHECK (response IS NULL OR json_valid(response)),
  PRIMARY KEY (space_id, actor_id, key)
);
INSERT INTO idempotency_keys_by_actor (space_id, actor_id, key, fingerprint, allocation_id, created_at, response)
SELECT space_id, 'system', key, fingerprint, allocation_id, created_at, response FROM idempotency_keys;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_by_actor RENAME TO idempotency_keys;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
