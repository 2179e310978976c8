-- Lookups hold each plan's pod intervals in memory and catch up from what changed since they
-- read them: the rows added after the last one read (by the plan's rows in order), and the
-- rows closed by the plan's imports after the last one counted (each closed row names the
-- import that closed it). Both read only the plan's changed rows, in pages.
CREATE INDEX pod_addresses_by_plan ON pod_addresses (plan_id, seq);
ALTER TABLE pod_imports ADD COLUMN imports INTEGER NOT NULL DEFAULT 0;
-- Grows each time retention deletes some of the plan's rows: a close that was deleted before a
-- reader caught up with it cannot be read, so a reader that sees it grow reads the plan anew.
ALTER TABLE pod_imports ADD COLUMN pruned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pod_addresses ADD COLUMN closed_by INTEGER;
CREATE INDEX pod_addresses_closed_by ON pod_addresses (plan_id, closed_by, seq) WHERE closed_by IS NOT NULL;

-- A writer that does not keep this bookkeeping (a replica of the previous release, during a
-- rolling upgrade) has it kept for it: its closes name the import that makes them, and its
-- imports are counted and logged as changes of the plan, as this release's imports are.
CREATE TRIGGER pod_addresses_closed_by AFTER UPDATE OF to_at ON pod_addresses
WHEN OLD.to_at IS NULL AND NEW.to_at IS NOT NULL AND NEW.closed_by IS NULL
BEGIN
  UPDATE pod_addresses
  SET closed_by = coalesce((SELECT imports FROM pod_imports WHERE plan_id = NEW.plan_id), 0) + 1
  WHERE seq = NEW.seq;
END;

CREATE TRIGGER pod_imports_counted AFTER UPDATE OF observed_at ON pod_imports
WHEN NEW.imports = OLD.imports
BEGIN
  UPDATE pod_imports SET imports = OLD.imports + 1 WHERE plan_id = NEW.plan_id;
  INSERT INTO plan_changes (plan_id) VALUES (NEW.plan_id);
END;
