import { z } from 'zod';
import { pageSchema } from '../pages.js';
import { CapacitySchema } from './capacity.js';
import { LabelsSchema, WarningSchema } from './common.js';
import { NodePageSchema } from './nodes.js';
import { PlanInputSchema } from './plan-input.js';
import { VnetSchema } from './vnet.js';

export const DesignFields = {
  spec: PlanInputSchema.describe('The complete design with defaults applied'),
  defaultsApplied: z.array(z.string()).describe('Paths of spec that received a default'),
  warnings: z.array(WarningSchema),
  capacity: CapacitySchema,
};

export const PlanSchema = z.object({
  id: z.string(),
  name: z.string(),
  revision: z.number().int().describe('Starts at 1; +1 on every change'),
  labels: LabelsSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  ...DesignFields,
});

const SpaceBlockSchema = z.object({
  path: z.string().describe('The field that named the space'),
  spaceId: z.string(),
  allocationId: z.string().nullable().describe('null in a calculation: nothing is allocated'),
  cidr: z.string(),
});

export const CreatedPlanSchema = PlanSchema.extend({
  allocations: z
    .array(SpaceBlockSchema)
    .optional()
    .describe('Blocks taken from address spaces for this plan'),
});

export const ReplacedPlanSchema = PlanSchema.extend({
  changes: z
    .array(z.object({ path: z.string(), from: z.unknown(), to: z.unknown() }))
    .describe('What the replacement changed, path by path (node pools matched by name)'),
});

export const PlanListSchema = pageSchema(PlanSchema);

export const CalculationSchema = z.object({
  ...DesignFields,
  allocations: z
    .array(SpaceBlockSchema)
    .optional()
    .describe('Blocks the plan would take from address spaces'),
  nodes: NodePageSchema.describe('The first page of node slots'),
  vnet: VnetSchema.describe('The whole VNet, as GET /v1/plans/{id}/vnet answers it'),
});
