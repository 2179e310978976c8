import { z } from 'zod';
import { historyTime } from '../../domain/pods/address-history.js';

/** Counts of addresses: numbers below 2^53, decimal strings above (IPv6). */
export const CountSchema = z
  .union([z.number().int(), z.string().regex(/^-?\d+$/)])
  .describe('A count: a JSON number below 2^53, a decimal string above');

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe("Stable UPPER_SNAKE code; with several problems, the first one's"),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string(), code: z.string() }))
      .optional()
      .describe('Every input problem, each with its field path'),
  })
  .describe('RFC 9457 problem details (application/problem+json)');

export const LabelsSchema = z
  .record(z.string().max(317), z.string().max(63))
  .describe(
    'Up to 32 labels, as in Kubernetes: keys name or prefix/name, values up to 63 characters; find things with ?label=',
  )
  .meta({ example: { team: 'payments', env: 'prod' } });

export const NotModifiedSchema = z.null().describe('Not Modified: the ETag in If-None-Match is current');

export const WarningSchema = z.object({ code: z.string(), message: z.string() });

export const PlanIdParamsSchema = z.object({
  id: z.string().min(1).max(128).describe('Plan id or name').meta({ example: 'prod-weu-1' }),
});

/** Entity tags are about 40 characters: 2,048 hold a list of fifty. */
const MAX_TAGS_HEADER = 2048;

/** The If-Match header of a replace or delete. */
export const IfMatchSchema = z
  .string()
  .min(1)
  .max(MAX_TAGS_HEADER)
  .describe('The ETag of the revision you read, or "*"');

/** The If-None-Match header of a read: the ETags of the copies a client holds, or "*". */
export const IfNoneMatchSchema = z.string().max(MAX_TAGS_HEADER);

/** The problem+json answers a route declares, by status. */
export function problemResponses<S extends number>(...statuses: S[]): Record<S, typeof ProblemSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ProblemSchema])) as Record<
    S,
    typeof ProblemSchema
  >;
}

/**
 * A whole number in a query, a path or a field that may come as text: decimal digits only (a
 * minus sign is read, so that -1 is refused as out of range).
 * z.coerce.number() reads text with Number(), which takes "0x10" as 16, "1e3" as 1,000, " 5" as
 * 5 and "" as 0; those are refused here. The document shows an integer with its bounds.
 */
export function wholeNumber({ min, max, byDefault }: { min: number; max?: number; byDefault?: number }) {
  // Only the type's message is ours: a schema-wide one would name a bound's refusal so too.
  const number = z
    .number({
      error: (issue) =>
        issue.code === 'invalid_type' ? 'expected a whole number in decimal digits' : undefined,
    })
    .int()
    .min(min);
  const bounded = max === undefined ? number : number.max(max);
  // The default inside the pipe: outside it, the document would lose it.
  return z.preprocess(
    (value) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value),
    byDefault === undefined ? bounded : bounded.default(byDefault),
  );
}

/**
 * An RFC 3339 time with a zone in a query (`at`, `observedAt`): text that is no such time is 400
 * with the other query problems, as the README says of every query value. What a time means for
 * the plan (ahead of the clock, before the last import) is judged later, as 422.
 */
export function queryTime(description: string) {
  return z
    .string()
    .max(64)
    .refine((text) => historyTime(text) !== undefined, {
      error: 'not an RFC 3339 time with a zone, such as 2026-11-30T14:03:00Z',
    })
    .optional()
    .describe(description)
    .meta({ example: '2026-11-30T14:03:00Z' });
}
