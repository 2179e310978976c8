import { z } from 'zod';

export const MatchSchema = z.object({
  planId: z.string(),
  planName: z.string(),
  role: z.enum([
    'node',
    'pod',
    'azure-reserved',
    'load-balancer',
    'private-endpoint',
    'service',
    'dns-service',
    'kubernetes-api-service',
    'unassigned',
  ]),
  pool: z.string().optional(),
  nodeIndex: z.number().int().optional(),
  nodeIp: z.string().optional(),
  nodeName: z.string().optional().describe('The recorded real node the match names'),
  source: z
    .enum(['recorded', 'predicted'])
    .optional()
    .describe(
      'On node and pod matches: recorded when a recorded node confirms it (by node IP, or for overlay and kubenet by pod CIDR); predicted when it comes from the layout of a freshly created cluster. A recorded node wins over the prediction.',
    ),
  range: z.string().describe('The plan range holding the address'),
  note: z
    .string()
    .optional()
    .describe('Why the match names no node, where that needs saying (dynamic pod IP allocation)'),
});

export const LookupResultSchema = z.object({
  ip: z.string().describe('The address in canonical form'),
  matches: z.array(MatchSchema).describe('One per stored plan range holding the address; empty when none'),
});

export const LookupQuerySchema = z.strictObject({
  ip: z.string().min(1).max(64).describe('An IPv4 or IPv6 address').meta({ example: '10.240.0.8' }),
});

export const MAX_BATCH_LOOKUP = 10_000;

export const BatchLookupSchema = z.strictObject({
  ips: z.array(z.string().max(64)).min(1).max(MAX_BATCH_LOOKUP),
});

export const BatchLookupResultSchema = z.object({
  results: z.array(LookupResultSchema).describe('In input order'),
});
