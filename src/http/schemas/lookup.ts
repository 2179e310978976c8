import { z } from 'zod';
import { PLATFORM_ROLES } from '../../domain/design/platform-roles.js';
import { MAX_ADDRESS_TEXT } from '../../domain/lookup/lookup-address.js';
import { LOOKUP_LIMITS } from '../../service/lookup-service.js';
import { CSV_COLUMNS } from '../csv-columns.js';
import { queryTime, wholeNumber } from './common.js';

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
    'platform-subnet',
    'firewall',
    'outbound-public-ip',
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
  name: z.string().optional().describe('Platform subnet matches: the subnet name (AzureFirewallSubnet, ...)'),
  pod: z
    .object({
      namespace: z.string(),
      name: z.string(),
      ownerKind: z.string().nullable(),
      ownerName: z.string().nullable(),
    })
    .optional()
    .describe('A recorded pod: who held the address at the time asked (source recorded)'),
  interval: z
    .object({ from: z.string(), to: z.string().nullable() })
    .optional()
    .describe(
      'The recorded interval that matched: from the import that first saw it to the one that no longer did (null: still held)',
    ),
  subnetRole: z.enum(PLATFORM_ROLES).optional().describe('Platform subnet matches: what the subnet is for'),
});

export const LookupResultSchema = z.object({
  ip: z.string().describe('The address in canonical form'),
  matches: z
    .array(MatchSchema)
    .describe(
      'One per stored plan range holding the address, ordered by plan id, at most limitPerIp; empty when none',
    ),
  matchCount: z.number().int().describe('How many matches there are in all, returned or not'),
  truncated: z
    .boolean()
    .describe('True when matchCount is more than the matches returned (limitPerIp cut them)'),
});

const MAX_PLAN_FILTERS = 100;
const MAX_LABEL_FILTERS = 32;

const LIMIT_PER_IP = `Matches returned per address (default ${LOOKUP_LIMITS.defaultPerIp}, at most ${LOOKUP_LIMITS.maxPerIp}); the rest are counted in matchCount`;
const limitPerIp = wholeNumber({ min: 1, max: LOOKUP_LIMITS.maxPerIp })
  .describe(LIMIT_PER_IP)
  .meta({ example: 20 })
  .optional();
/** In a JSON body the number is a JSON number: the digits a query parameter is read from are a string there. */
const bodyLimitPerIp = z
  .number()
  .int()
  .min(1)
  .max(LOOKUP_LIMITS.maxPerIp)
  .describe(LIMIT_PER_IP)
  .meta({ example: 20 })
  .optional();

const repeatable = (what: string, max: number, example: string) =>
  z
    .union([z.string().min(1).max(400), z.array(z.string().min(1).max(400)).max(max)], {
      // The union's own message says only "Invalid input".
      error: `at most ${max} values, each of 1 to 400 characters`,
    })
    .optional()
    .describe(what)
    .meta({ example });

const AT_DESCRIPTION =
  'Answer from the pods recorded at this time (RFC 3339); without it, the latest records. Plans without records answer with the prediction';
const atField = z
  .string()
  .max(64)
  .optional()
  .describe(AT_DESCRIPTION)
  .meta({ example: '2026-11-30T14:03:00Z' });

/** Filters and limits of a lookup, as query parameters (GET, and POST streams). */
export const LookupFilterQuerySchema = z.strictObject({
  limitPerIp,
  plan: repeatable(
    `Only this plan (id or name), repeatable (up to ${MAX_PLAN_FILTERS})`,
    MAX_PLAN_FILTERS,
    'prod-weu-1',
  ),
  label: repeatable(
    'Only plans with this label: key=value or key (presence), repeatable, every selector must hold',
    MAX_LABEL_FILTERS,
    'env=prod',
  ),
  at: queryTime(AT_DESCRIPTION),
});

/** A streamed lookup's query: the filters, and for CSV the column holding the addresses. */
export const StreamLookupQuerySchema = LookupFilterQuerySchema.extend({
  // Any case, as the header's names are matched: ?column=SrcIP names the srcIp column.
  column: z
    .preprocess(
      (value) =>
        typeof value === 'string'
          ? (CSV_COLUMNS.find((c) => c.toLowerCase() === value.trim().toLowerCase()) ?? value)
          : value,
      z.enum(CSV_COLUMNS),
    )
    .describe(
      'For text/csv bodies: the column holding the addresses, in any case (default: the first of ip, src, srcIp, dst, dstIp, in that order, that the header has)',
    )
    .meta({ example: 'srcIp' })
    .optional(),
});

export const LookupQuerySchema = LookupFilterQuerySchema.extend({
  ip: z
    .string()
    .min(1)
    .max(MAX_ADDRESS_TEXT)
    .describe('An IPv4 or IPv6 address')
    .meta({ example: '10.240.0.8' }),
});

export const MAX_BATCH_LOOKUP = 10_000;

export const BatchLookupSchema = z.strictObject({
  ips: z.array(z.string().max(MAX_ADDRESS_TEXT)).min(1).max(MAX_BATCH_LOOKUP),
  limitPerIp: bodyLimitPerIp,
  at: atField,
  plans: z
    .array(z.string().min(1).max(64))
    .max(MAX_PLAN_FILTERS)
    .optional()
    .describe('Only these plans (ids or names); an unknown one is 404 PLAN_NOT_FOUND'),
  labels: z
    .array(z.string().min(1).max(400))
    .max(MAX_LABEL_FILTERS)
    .optional()
    .describe('Only plans whose labels satisfy every selector (key=value or key)'),
});

export const BatchLookupResultSchema = z.object({
  results: z.array(LookupResultSchema).describe('In input order'),
});
