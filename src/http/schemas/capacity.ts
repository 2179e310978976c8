import { z } from 'zod';
import { CountSchema } from './common.js';

const VerdictSchema = z.enum(['ok', 'at-risk', 'exhausted']);

const RequirementSchema = z.object({
  current: CountSchema.describe('nodeCount of every pool, plus reservations'),
  atMaxCount: CountSchema.describe('autoscaler maxima, plus reservations'),
  duringUpgrade: CountSchema.describe('maxima plus upgrade surge, plus reservations'),
});

export const RangeCapacitySchema = z.object({
  kind: z.enum(['node-subnet', 'pod-subnet', 'pod-cidr', 'service-cidr']),
  cidr: z.string(),
  total: CountSchema,
  azureReserved: CountSchema,
  usable: CountSchema,
  required: RequirementSchema,
  requiredAtLeast: RequirementSchema.optional().describe(
    'Dynamic pod IP allocation: the least the pod subnet needs (one batch of 16 per node); required is the most',
  ),
  free: CountSchema.describe('usable - required.duringUpgrade; negative is the shortfall'),
  utilization: z.number().describe('required.duringUpgrade / usable, three decimals'),
  nodeSlots: CountSchema.nullable().describe(
    'Nodes that fit after reservations at the largest per-node block of the pools in the range; null for the service CIDR',
  ),
  verdict: VerdictSchema,
  explain: z.string().describe('The arithmetic behind required.duringUpgrade'),
  recommendedPrefixLength: z
    .number()
    .int()
    .nullable()
    .describe('Longest prefix whose usable addresses hold required.duringUpgrade'),
});

export const CapacitySchema = z.object({
  verdict: VerdictSchema.describe('The worst verdict of all ranges'),
  ranges: z.array(RangeCapacitySchema),
  recommendation: z.object({
    nodeSubnetPrefixLength: z.number().int().nullable(),
    podCidrPrefixLength: z.number().int().nullable(),
  }),
});
