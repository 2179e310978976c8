import { z } from 'zod';
import { AUDIT_ACTIONS } from '../../service/history-service.js';
import { PageQuerySchema, pageSchema } from '../pages.js';
import { wholeNumber } from './common.js';
import { PlanInputSchema } from './plan-input.js';

/** Newest-first lists page backwards: their cursors look different. */
const NewestFirstPageSchema = PageQuerySchema.extend({
  cursor: z
    .string()
    .max(512)
    .optional()
    .describe('The nextCursor of the previous page; leave it out for the newest')
    .meta({ example: 'eyJiZWZvcmUiOjEwfQ' }),
});

export const AuditQuerySchema = NewestFirstPageSchema.extend({
  target: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .describe('Only entries about this id (plan, space, allocation, token)')
    .meta({ example: '00000000-0000-4000-8000-000000000004' }),
  actor: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe('Only entries by this actor id (token id, OIDC subject, ADMIN_TOKEN)')
    .meta({ example: 'ADMIN_TOKEN' }),
  action: z.enum(AUDIT_ACTIONS).optional().describe('Only this action').meta({ example: 'plan.replace' }),
  since: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Entries at or after this time (RFC 3339)')
    .meta({ example: '2026-01-01T00:00:00Z' }),
  until: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Entries before this time (RFC 3339)')
    .meta({ example: '2027-01-01T00:00:00Z' }),
});

export const RevisionsQuerySchema = NewestFirstPageSchema;

const ActorSchema = z.object({
  kind: z.enum(['token', 'environment', 'oidc', 'anonymous', 'system']),
  id: z.string(),
  name: z.string(),
});

export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: ActorSchema,
  action: z.enum(AUDIT_ACTIONS),
  target: z.object({
    type: z.enum(['plan', 'space', 'allocation', 'token']),
    id: z.string(),
    name: z.string().nullable(),
  }),
  revisionBefore: z.number().int().nullable(),
  revisionAfter: z.number().int().nullable(),
  requestId: z.string().nullable().describe('The X-Request-Id of the request that made the change'),
});

export const AuditListSchema = pageSchema(AuditEntrySchema);

export const RevisionSummarySchema = z.object({
  revision: z.number().int(),
  name: z.string(),
  at: z.string(),
  actor: ActorSchema,
  changes: z
    .array(z.object({ path: z.string(), from: z.unknown(), to: z.unknown() }))
    .describe('What changed from the revision before, path by path (empty for the first)'),
});

export const RevisionListSchema = pageSchema(RevisionSummarySchema);

export const RevisionSchema = z.object({
  planId: z.string(),
  revision: z.number().int(),
  name: z.string(),
  at: z.string(),
  actor: ActorSchema,
  spec: PlanInputSchema.describe('The design as it was stored at this revision'),
  defaultsApplied: z.array(z.string()),
});

export const RevisionParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .describe('Plan id or name; a deleted plan by id (admins only)')
    .meta({ example: 'prod-weu-1' }),
  revision: wholeNumber({ min: 1, max: 1_000_000_000 }).describe('Revision number').meta({ example: 1 }),
});
