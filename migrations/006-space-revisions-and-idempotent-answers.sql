-- A space's ETag is its revision, as a plan's is.
ALTER TABLE spaces ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);

-- An Idempotency-Key is answered again with the allocation as it was first answered, for 24
-- hours, even after the allocation is released: the answer is kept with the key. Older rows
-- have no answer kept and fall back to the allocation while it exists.
ALTER TABLE idempotency_keys ADD COLUMN response TEXT CHECK (response IS NULL OR json_valid(response));
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
