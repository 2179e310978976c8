-- The labels a plan had at each revision: a team reads only the revisions that were its own,
-- also after a plan moved between teams. Kept revisions take the plan's labels of today.
ALTER TABLE plan_revisions ADD COLUMN labels TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(labels));
UPDATE plan_revisions SET labels = (
  SELECT coalesce(json_group_object(key, value), '{}') FROM plan_labels WHERE plan_labels.plan_id = plan_revisions.plan_id
) WHERE EXISTS (SELECT 1 FROM plan_labels WHERE plan_labels.plan_id = plan_revisions.plan_id);
