-- The PostgreSQL schema: the same tables and columns as the SQLite migrations 001-014 end with
-- (a test compares them), so that both stores share their row shapes. Times stay ISO 8601 UTC
-- text and address keys 32 lowercase hex digits, as in SQLite: text order is time order and
-- numeric order, and every range question stays one index probe. JSON columns are json, not
-- jsonb: they keep the text as written (key order included), as SQLite does. Change counters notify
-- listeners (LISTEN plan_changes / token_changes) so that other replicas refresh at once.

CREATE TABLE plans (
  seq              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id               text    NOT NULL UNIQUE,
  name             text    NOT NULL UNIQUE,
  revision         integer NOT NULL CHECK (revision >= 1),
  created_at       text    NOT NULL,
  updated_at       text    NOT NULL,
  spec             json   NOT NULL,
  defaults_applied json   NOT NULL
);

CREATE TABLE plan_ranges (
  plan_id       text     NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  kind          text     NOT NULL,
  family        smallint NOT NULL CHECK (family IN (4, 6)),
  prefix_length smallint NOT NULL,
  cidr          text     NOT NULL,
  first_key     text     NOT NULL CHECK (length(first_key) = 32),
  last_key      text     NOT NULL CHECK (length(last_key) = 32),
  exclusive     smallint NOT NULL DEFAULT 0 CHECK (exclusive IN (0, 1)),
  -- The order the plan listed its ranges in (SQLite keeps it as the rowid): lookups answer in it.
  position      smallint NOT NULL
);
CREATE INDEX plan_ranges_by_first ON plan_ranges (family, first_key, last_key);
CREATE INDEX plan_ranges_by_plan ON plan_ranges (plan_id);
CREATE INDEX plan_ranges_exclusive ON plan_ranges (family, first_key, last_key)
  WHERE exclusive = 1 AND kind = 'node-subnet';

CREATE TABLE plan_labels (
  plan_id text NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  key     text NOT NULL,
  value   text NOT NULL,
  PRIMARY KEY (plan_id, key)
);
CREATE INDEX plan_labels_by_key ON plan_labels (key, value);

CREATE TABLE plan_nodes (
  plan_id     text NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  name        text NOT NULL,
  pool        text NOT NULL,
  node_ip     text,
  pod_cidr    text,
  recorded_at text NOT NULL,
  PRIMARY KEY (plan_id, name)
);
CREATE INDEX plan_nodes_by_node_ip ON plan_nodes (plan_id, node_ip);
CREATE INDEX plan_nodes_by_pod_cidr ON plan_nodes (plan_id, pod_cidr);

CREATE TABLE plan_revisions (
  plan_id          text    NOT NULL,
  revision         integer NOT NULL,
  name             text    NOT NULL,
  at               text    NOT NULL,
  actor_kind       text    NOT NULL,
  actor_id         text    NOT NULL,
  actor_name       text    NOT NULL,
  spec             json   NOT NULL,
  defaults_applied json   NOT NULL,
  labels           json   NOT NULL DEFAULT '{}',
  PRIMARY KEY (plan_id, revision)
);

CREATE TABLE spaces (
  id                text     PRIMARY KEY,
  name              text     NOT NULL UNIQUE,
  description       text,
  created_at        text     NOT NULL,
  revision          integer  NOT NULL DEFAULT 1 CHECK (revision >= 1),
  seq               bigint   UNIQUE,
  free_blocks_built smallint NOT NULL DEFAULT 0 CHECK (free_blocks_built IN (0, 1))
);

CREATE TABLE space_cidrs (
  space_id text     NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
  position integer  NOT NULL,
  family   smallint NOT NULL CHECK (family IN (4, 6)),
  cidr     text     NOT NULL,
  PRIMARY KEY (space_id, position)
);

CREATE TABLE space_labels (
  space_id text NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
  key      text NOT NULL,
  value    text NOT NULL,
  PRIMARY KEY (space_id, key)
);
CREATE INDEX space_labels_by_key ON space_labels (key, value);

CREATE TABLE space_free_blocks (
  space_id      text     NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
  family        smallint NOT NULL CHECK (family IN (4, 6)),
  prefix_length smallint NOT NULL,
  first_key     text     NOT NULL CHECK (length(first_key) = 32),
  last_key      text     NOT NULL CHECK (length(last_key) = 32),
  cidr          text     NOT NULL,
  PRIMARY KEY (space_id, family, first_key)
);
CREATE INDEX space_free_blocks_by_prefix ON space_free_blocks (space_id, family, prefix_length, first_key);

CREATE TABLE allocations (
  id           text     PRIMARY KEY,
  space_id     text     NOT NULL REFERENCES spaces (id),
  family       smallint NOT NULL CHECK (family IN (4, 6)),
  cidr         text     NOT NULL,
  first_key    text     NOT NULL CHECK (length(first_key) = 32),
  last_key     text     NOT NULL CHECK (length(last_key) = 32),
  purpose      text     NOT NULL,
  plan_id      text     REFERENCES plans (id),
  created_at   text     NOT NULL,
  owner_labels json    NOT NULL DEFAULT '{}'
);
CREATE INDEX allocations_by_plan ON allocations (plan_id);
CREATE INDEX allocations_by_range ON allocations (family, first_key, last_key);
CREATE INDEX allocations_by_space ON allocations (space_id, family, first_key);

CREATE TABLE idempotency_keys (
  space_id      text  NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
  actor_id      text  NOT NULL,
  key           text  NOT NULL,
  fingerprint   text  NOT NULL,
  allocation_id text  NOT NULL,
  created_at    text  NOT NULL,
  response      json,
  PRIMARY KEY (space_id, actor_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

CREATE TABLE tokens (
  id          text   PRIMARY KEY,
  seq         bigint NOT NULL UNIQUE,
  name        text   NOT NULL,
  scopes      json  NOT NULL,
  labels      json  NOT NULL,
  secret_hash text   NOT NULL CHECK (length(secret_hash) = 64),
  created_at  text   NOT NULL,
  expires_at  text,
  revoked_at  text
);

CREATE TABLE audit_entries (
  seq             bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at              text    NOT NULL,
  actor_kind      text    NOT NULL,
  actor_id        text    NOT NULL,
  actor_name      text    NOT NULL,
  action          text    NOT NULL,
  target_type     text    NOT NULL,
  target_id       text    NOT NULL,
  target_name     text,
  revision_before integer,
  revision_after  integer,
  request_id      text
);
CREATE INDEX audit_by_action ON audit_entries (action, seq);
CREATE INDEX audit_by_actor ON audit_entries (actor_id, seq);
CREATE INDEX audit_by_target ON audit_entries (target_id, seq);
CREATE INDEX audit_by_time ON audit_entries (at);

-- The lookup index's change log: one row per plan change, the last 100,000 kept. Writers take
-- one transaction lock (the plan-writes lock of the store) before logging, so sequence numbers
-- commit in order: a reader that saw seq n has seen every change up to n. With concurrent
-- writers an identity column alone lets n + 1 commit before n, and a reader would skip n.
CREATE TABLE plan_changes (
  seq     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id text   NOT NULL
);

CREATE FUNCTION note_plan_change(changed text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  logged bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(7305421109);
  INSERT INTO plan_changes (plan_id) VALUES (changed) RETURNING seq INTO logged;
  DELETE FROM plan_changes WHERE seq <= logged - 100000;
  PERFORM pg_notify('plan_changes', logged::text);
END $$;

CREATE FUNCTION log_plan_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM note_plan_change(CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
  RETURN NULL;
END $$;

-- A plan's first recorded nodes change what lookups ask of it. Per statement, over the rows it
-- inserted: an import writes many nodes in one statement, and a row trigger would already see
-- the other new rows and log nothing.
CREATE FUNCTION log_first_nodes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  first_plan text;
BEGIN
  FOR first_plan IN
    SELECT DISTINCT i.plan_id FROM inserted i
    WHERE NOT EXISTS (
      SELECT 1 FROM plan_nodes n
      WHERE n.plan_id = i.plan_id
        AND NOT EXISTS (SELECT 1 FROM inserted j WHERE j.plan_id = n.plan_id AND j.name = n.name))
  LOOP
    PERFORM note_plan_change(first_plan);
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER plan_changes_on_write AFTER INSERT OR UPDATE OR DELETE ON plans
  FOR EACH ROW EXECUTE FUNCTION log_plan_write();
CREATE TRIGGER plan_changes_on_first_node AFTER INSERT ON plan_nodes
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION log_first_nodes();

CREATE TABLE token_changes (
  id      integer PRIMARY KEY CHECK (id = 1),
  version bigint  NOT NULL
);
INSERT INTO token_changes (id, version) VALUES (1, 0);

CREATE FUNCTION bump_token_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE token_changes SET version = version + 1 WHERE id = 1;
  PERFORM pg_notify('token_changes', '');
  RETURN NULL;
END $$;

CREATE TRIGGER token_changes_on_write AFTER INSERT OR UPDATE OR DELETE ON tokens
  FOR EACH STATEMENT EXECUTE FUNCTION bump_token_changes();
