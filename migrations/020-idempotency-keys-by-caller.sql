-- An Idempotency-Key is its caller's across spaces: a replay looks it up by caller and key.
CREATE INDEX idempotency_keys_by_caller ON idempotency_keys (actor_id, key);
