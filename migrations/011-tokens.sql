-- API tokens: only a SHA-256 of each secret is kept. Revoked tokens stay (revoked_at set) so
-- that what a token did can still be named; they never authenticate again.
CREATE TABLE tokens (
  id          TEXT    PRIMARY KEY,
  seq         INTEGER NOT NULL UNIQUE,
  name        TEXT    NOT NULL,
  scopes      TEXT    NOT NULL,
  labels      TEXT    NOT NULL,
  secret_hash TEXT    NOT NULL CHECK (length(secret_hash) = 64),
  created_at  TEXT    NOT NULL,
  expires_at  TEXT,
  revoked_at  TEXT
);

-- One counter bumped by every token change, so that a process caching verified tokens knows
-- with one cheap read whether any token changed (a revocation is then seen at once).
CREATE TABLE token_changes (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO token_changes (id, version) VALUES (1, 0);

CREATE TRIGGER tokens_inserted AFTER INSERT ON tokens
BEGIN UPDATE token_changes SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER tokens_updated AFTER UPDATE ON tokens
BEGIN UPDATE token_changes SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER tokens_deleted AFTER DELETE ON tokens
BEGIN UPDATE token_changes SET version = version + 1 WHERE id = 1; END;
