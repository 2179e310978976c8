-- The free space of each space as its free blocks: the fewest CIDRs covering each free range
-- (the maximal free aligned blocks inside one space CIDR). Allocation finds its block with a few
-- index probes here instead of reading every allocation of the space. Blocks are disjoint, so
-- the first address keys a block; keys as in plan_ranges.
CREATE TABLE space_free_blocks (
  space_id      TEXT    NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
  family        INTEGER NOT NULL CHECK (family IN (4, 6)),
  prefix_length INTEGER NOT NULL,
  first_key     TEXT    NOT NULL CHECK (length(first_key) = 32),
  last_key      TEXT    NOT NULL CHECK (length(last_key) = 32),
  cidr          TEXT    NOT NULL,
  PRIMARY KEY (space_id, family, first_key)
) WITHOUT ROWID;

-- First fit of a size: the lowest block of each prefix length.
CREATE INDEX space_free_blocks_by_prefix ON space_free_blocks (space_id, family, prefix_length, first_key);

-- Spaces that existed before this table get their blocks built by the service when it opens the
-- database (from their CIDRs and allocations), which then sets the flag.
ALTER TABLE spaces ADD COLUMN free_blocks_built INTEGER NOT NULL DEFAULT 0 CHECK (free_blocks_built IN (0, 1));

-- Deleting a plan releases its allocations one by one (each gives its block back), and the
-- foreign key from allocations to plans is checked on delete: both find them by plan here.
CREATE INDEX allocations_by_plan ON allocations (plan_id);
