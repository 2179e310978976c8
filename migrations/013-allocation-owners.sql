-- The labels of the team that took a block directly (empty for everyone), so that in a space
-- shared by every team only that team (or an admin) can release it.
ALTER TABLE allocations ADD COLUMN owner_labels TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(owner_labels));
