import { z } from 'zod';
import { pageSchema } from '../pages.js';
import { CountSchema, LabelsSchema, wholeNumber } from './common.js';

export const SpaceInputSchema = z.strictObject({
  name: z.string().min(1).max(64).describe('Unique; letters, digits, ".", "-" and "_"'),
  cidrs: z
    .array(z.string().min(1).max(64))
    .min(1)
    .max(100)
    .describe('IPv4 and IPv6 blocks the space owns; they must not overlap each other'),
  description: z.string().max(1000).optional(),
  labels: LabelsSchema.optional(),
});

export const SpaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  revision: z.number().int().describe('Starts at 1; +1 on every change; the ETag names it and the id'),
  labels: LabelsSchema,
  description: z.string().nullable(),
  cidrs: z.array(z.string()),
  createdAt: z.string(),
});

export const SpaceListSchema = pageSchema(SpaceSchema);

export const SpaceParamsSchema = z.object({
  id: z.string().min(1).max(128).describe('Space id or name').meta({ example: 'corp-vnets' }),
});

export const AvailableQuerySchema = z.strictObject({
  prefixLength: wholeNumber({ min: 0, max: 128 })
    .optional()
    .describe('Count how many free blocks of this prefix length fit')
    .meta({ example: 24 }),
  family: z
    .enum(['ipv4', 'ipv6'])
    .optional()
    .describe(
      'The family to count in; default IPv4 when the space has any, IPv6 for a prefixLength above 32 in a space with IPv6',
    )
    .meta({ example: 'ipv4' }),
});

export const AvailableSchema = z.object({
  spaceId: z.string(),
  free: z
    .array(z.string())
    .describe('The free space as the fewest CIDRs, lowest address first: the first 1,000 of them'),
  freeCount: z
    .number()
    .int()
    .describe('How many CIDRs the free space is in all: more than free lists when a space is fragmented'),
  prefixLength: z.number().int().nullable(),
  fitting: CountSchema.nullable().describe('How many blocks of prefixLength fit in the free space'),
  utilization: z.array(
    z.object({
      family: z.enum(['ipv4', 'ipv6']),
      total: CountSchema,
      allocated: CountSchema,
      free: CountSchema,
      utilization: z.number().describe('allocated / total, three decimals'),
    }),
  ),
});

export const AllocationInputSchema = z.strictObject({
  prefixLength: z.number().int().min(0).max(128).optional().describe('Size as a prefix length'),
  addresses: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe("Size as usable addresses: the smallest IPv4 prefix whose size less Azure's 5 holds them"),
  cidr: z.string().max(64).optional().describe('Claim this exact block'),
  family: z
    .enum(['ipv4', 'ipv6'])
    .optional()
    .describe(
      'For a size: default IPv4 when the space has any, IPv6 for a prefixLength above 32 in a space with IPv6',
    ),
  purpose: z.string().min(1).max(200).describe('What the block is for, e.g. "node subnet of prod-weu-1"'),
});

export const AllocationSchema = z.object({
  id: z.string(),
  spaceId: z.string(),
  cidr: z.string(),
  purpose: z.string(),
  planId: z.string().nullable(),
  createdAt: z.string(),
});

export const AllocationListSchema = pageSchema(AllocationSchema);

export const AllocationParamsSchema = SpaceParamsSchema.extend({
  allocationId: z
    .string()
    .min(1)
    .max(128)
    .describe('Allocation id')
    .meta({ example: '0b5c9d4e-6f7a-4b8c-9d0e-1f2a3b4c5d6e' }),
});
