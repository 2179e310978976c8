import { z } from 'zod';
import { CapacitySchema, RangeCapacitySchema } from './capacity.js';
import { CountSchema, LabelsSchema, ProblemSchema, WarningSchema } from './common.js';
import { ConflictSchema } from './conflict.js';
import { MatchSchema } from './lookup.js';
import { NodeSlotSchema } from './nodes.js';
import { CalculationSchema, PlanSchema } from './plan.js';
import { NetworkInputSchema, NodePoolInputSchema, PlanInputSchema } from './plan-input.js';

/** Named schemas: the OpenAPI document refers to these by name instead of repeating them. */
const COMPONENTS = {
  PlanDesign: PlanInputSchema,
  Network: NetworkInputSchema,
  NodePool: NodePoolInputSchema,
  Plan: PlanSchema,
  Calculation: CalculationSchema,
  Capacity: CapacitySchema,
  RangeCapacity: RangeCapacitySchema,
  NodeSlot: NodeSlotSchema,
  LookupMatch: MatchSchema,
  Conflict: ConflictSchema,
  Warning: WarningSchema,
  Problem: ProblemSchema,
  Count: CountSchema,
  Labels: LabelsSchema,
};

for (const [id, schema] of Object.entries(COMPONENTS)) {
  // Keep metadata set with .meta() (examples, descriptions) and add the id.
  const meta = z.globalRegistry.get(schema);
  if (meta?.id === undefined) {
    z.globalRegistry.remove(schema);
    z.globalRegistry.add(schema, { ...meta, id });
  }
}
