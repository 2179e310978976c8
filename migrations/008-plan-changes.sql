-- A log of which plans changed, for the in-memory lookup index of every process sharing this
-- database: a reader compares the newest seq with the one its index was built at, and reloads
-- only the plans logged since. Triggers write it, so no writer can forget to.
CREATE TABLE plan_changes (
  seq     INTEGER PRIMARY KEY AUTOINCREMENT,
  plan_id TEXT    NOT NULL
);

CREATE TRIGGER plan_changes_on_insert AFTER INSERT ON plans
BEGIN
  INSERT INTO plan_changes (plan_id) VALUES (NEW.id);
END;

CREATE TRIGGER plan_changes_on_update AFTER UPDATE ON plans
BEGIN
  INSERT INTO plan_changes (plan_id) VALUES (NEW.id);
END;

CREATE TRIGGER plan_changes_on_delete AFTER DELETE ON plans
BEGIN
  INSERT INTO plan_changes (plan_id) VALUES (OLD.id);
END;

-- Lookups ask the database for recorded nodes only of plans that have some: the first one
-- recorded is a change of the plan's index entry.
CREATE TRIGGER plan_changes_on_first_node AFTER INSERT ON plan_nodes
WHEN NOT EXISTS (SELECT 1 FROM plan_nodes WHERE plan_id = NEW.plan_id AND name <> NEW.name)
BEGIN
  INSERT INTO plan_changes (plan_id) VALUES (NEW.plan_id);
END;

-- The last 100,000 changes are kept; a reader further behind rebuilds its index from scratch.
CREATE TRIGGER plan_changes_bounded AFTER INSERT ON plan_changes
BEGIN
  DELETE FROM plan_changes WHERE seq <= NEW.seq - 100000;
END;
