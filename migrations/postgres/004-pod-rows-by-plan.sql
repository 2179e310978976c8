-- Catching up a plan's pod intervals in memory (see the SQLite migration 017-pod-rows-by-plan.sql).
CREATE INDEX pod_addresses_by_plan ON pod_addresses (plan_id, seq);
ALTER TABLE pod_imports ADD COLUMN imports integer NOT NULL DEFAULT 0;
ALTER TABLE pod_imports ADD COLUMN pruned integer NOT NULL DEFAULT 0;
ALTER TABLE pod_addresses ADD COLUMN closed_by integer;
CREATE INDEX pod_addresses_closed_by ON pod_addresses (plan_id, closed_by, seq) WHERE closed_by IS NOT NULL;

-- A writer that does not keep this bookkeeping (a replica of the previous release, during a
-- rolling upgrade) has it kept for it (see the SQLite migration).
CREATE FUNCTION name_closing_import() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.closed_by := coalesce((SELECT imports FROM pod_imports WHERE plan_id = NEW.plan_id), 0) + 1;
  RETURN NEW;
END $$;

CREATE TRIGGER pod_addresses_closed_by BEFORE UPDATE OF to_at ON pod_addresses
  FOR EACH ROW WHEN (OLD.to_at IS NULL AND NEW.to_at IS NOT NULL AND NEW.closed_by IS NULL)
  EXECUTE FUNCTION name_closing_import();

CREATE FUNCTION count_pod_import() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.imports := OLD.imports + 1;
  PERFORM note_plan_change(NEW.plan_id);
  RETURN NEW;
END $$;

CREATE TRIGGER pod_imports_counted BEFORE UPDATE OF observed_at ON pod_imports
  FOR EACH ROW WHEN (NEW.imports = OLD.imports)
  EXECUTE FUNCTION count_pod_import();
