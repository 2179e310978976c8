-- The time of each plan's last node import: an import observed before it is refused, also
-- after an empty list left no recorded node whose time would say so. Plans with nodes take
-- the time of their latest.
CREATE TABLE node_imports (
  plan_id     text PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
  observed_at text NOT NULL
);
INSERT INTO node_imports (plan_id, observed_at)
  SELECT plan_id, max(recorded_at) FROM plan_nodes GROUP BY plan_id;
