import { z } from 'zod';
import { MAX_PAGE, pageSchema } from '../pages.js';

/** The most holders one side of a conflict lists; `holderCount` tells how many there are. */
export const MAX_HOLDERS_PER_SIDE = 100;

const HeldKindSchema = z.enum([
  'node-subnet',
  'pod-subnet',
  'pod-cidr',
  'platform-subnet',
  'known-ip',
  'service-cidr',
  'vnet',
  'allocation',
]);

export const ConflictHolderSchema = z.object({
  type: z.enum(['plan', 'allocation']),
  id: z.string(),
  name: z.string().describe('The plan name, or "space: purpose" for an allocation'),
  kind: HeldKindSchema,
  cidr: z.string(),
});

export const ConflictSideSchema = z
  .object({
    kind: HeldKindSchema.describe('What every holder of this side holds the range as'),
    cidr: z.string().describe('The range every holder of this side holds'),
    holderCount: z.number().int().min(1).describe('How many hold it on this side, listed or not'),
    holders: z
      .array(ConflictHolderSchema)
      .min(1)
      .max(MAX_HOLDERS_PER_SIDE)
      .describe(
        `By name, then id: the first ${MAX_HOLDERS_PER_SIDE} of holderCount (an allocation holds a side alone)`,
      ),
  })
  .describe('Holders of one range: equal plan ranges of one kind, or one allocation');

export const ConflictSchema = z
  .object({
    code: z.string().describe('Stable UPPER_SNAKE code, e.g. SUBNETS_OVERLAP'),
    severity: z.enum(['error', 'warning']),
    message: z.string().describe('The range or ranges, how many hold them, and why it matters'),
    sides: z
      .array(ConflictSideSchema)
      .min(1)
      .max(2)
      .describe(
        'One side: a subnet several plans hold, every two of them in conflict. Two sides: each holder of the first is in conflict with each holder of the second. A plan is never in conflict with itself.',
      ),
  })
  .describe('One overlap, with every holder of each range grouped on its side');

export const ConflictListSchema = pageSchema(ConflictSchema).describe(
  `At most ${MAX_PAGE} conflicts a page (limit), in address order`,
);
