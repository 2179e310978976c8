import { z } from 'zod';
import { ReachLimitSchema } from './capacity.js';
import { CountSchema, WarningSchema } from './common.js';
import { CalculationInputSchema } from './plan-input.js';

const MAX_VARIANTS = 10;

const RangeKind = z.enum(['node-subnet', 'pod-subnet', 'pod-cidr', 'service-cidr']);
const Verdict = z.enum(['ok', 'at-risk', 'exhausted']);

export const DesignSummarySchema = z.object({
  verdict: Verdict,
  ranges: z.array(
    z.object({
      kind: RangeKind,
      cidr: z.string(),
      usable: CountSchema,
      required: CountSchema.describe('required.duringUpgrade'),
      free: CountSchema,
      nodeSlots: CountSchema.nullable(),
      verdict: Verdict,
    }),
  ),
  snat: z
    .object({ maxNodes: z.number().int().nullable(), required: z.number().int(), verdict: Verdict })
    .nullable(),
  maxNodes: z
    .object({ count: z.number().int(), pool: z.string(), limitedBy: ReachLimitSchema.nullable() })
    .nullable()
    .describe(
      'The most nodes the cluster reaches by growing its roomiest pool (the others held), and what stops it',
    ),
  addressesPerNode: z
    .array(
      z.object({
        pool: z.string(),
        ranges: z.array(z.object({ kind: RangeKind, cidr: z.string(), addresses: CountSchema })),
      }),
    )
    .describe('Addresses one more node of each pool takes, per range'),
  publicIps: z
    .number()
    .int()
    .describe(
      'Public IPs the design consumes (capacity.publicIps.total): outbound, services, firewall, gateway prefixes, node public IPs',
    ),
  warnings: z
    .array(WarningSchema)
    .describe(
      "The design's warnings, as a plan's; a variant's also say what its change from the base moves (RESERVATIONS_MOVED)",
    ),
});

const VariantSchema = z.object({
  name: z.string(),
  valid: z.boolean(),
  problems: z.array(z.object({ path: z.string(), message: z.string(), code: z.string() })).optional(),
  summary: DesignSummarySchema.optional(),
  specChanges: z
    .array(z.object({ path: z.string(), from: z.unknown(), to: z.unknown() }))
    .optional()
    .describe('How the variant design differs from the base, defaults applied'),
  differences: z
    .array(
      z.object({
        metric: z.string(),
        base: z.union([CountSchema, z.string()]).nullable(),
        variant: z.union([CountSchema, z.string()]).nullable(),
      }),
    )
    .optional()
    .describe(
      'Every figure that differs from the base: verdict; per range (node-subnet[0].free) cidr, usable, required, free, nodeSlots, verdict; maxNodes, maxNodes.pool, maxNodes.limitedBy; publicIps; snat.maxNodes, snat.required, snat.verdict; addressesPerNode.<pool>.<range kind>[i]',
    ),
});

export const ComparisonRequestSchema = z.strictObject({
  base: CalculationInputSchema,
  variants: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(64),
        changes: z
          .record(z.string(), z.unknown())
          .describe(
            "A JSON merge patch over the base: objects merge, null removes a field, lists whose items all have names (node pools, named platform subnets) merge by name, new items after the base's",
          ),
      }),
    )
    .min(1)
    .max(MAX_VARIANTS),
});

export const ComparisonSchema = z.object({
  base: DesignSummarySchema,
  variants: z
    .array(VariantSchema)
    .describe('In request order; an invalid variant carries its problems instead'),
});
