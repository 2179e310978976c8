import { z } from 'zod';
import { SCOPES } from '../../domain/auth/scopes.js';
import { pageSchema } from '../pages.js';
import { LabelsSchema } from './common.js';

const ScopesSchema = z
  .array(z.enum(SCOPES))
  .min(1)
  .max(SCOPES.length)
  .describe('Scopes nest: admin includes write, which includes read');

export const TokenInputSchema = z.strictObject({
  name: z.string().min(1).max(100).describe('What the token is for: a pipeline, a portal, a person'),
  scopes: ScopesSchema,
  labels: LabelsSchema.optional().describe(
    'Team labels (such as team=payments): a token with labels sees and changes only plans and spaces carrying them, and shared spaces; admin tokens see everything',
  ),
  expiresAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('RFC 3339 time after which the token stops working; leave out for no expiry'),
});

export const TokenSchema = z.object({
  id: z.string().describe('The visible part of the token: it is aksip_<id>_<secret>'),
  name: z.string(),
  scopes: z.array(z.enum(SCOPES)),
  labels: LabelsSchema,
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
});

export const IssuedTokenSchema = TokenSchema.extend({
  token: z
    .string()
    .describe(
      'The secret, shown this once: only its SHA-256 is stored. Send it as Authorization: Bearer <token>',
    ),
});

export const TokenListSchema = pageSchema(TokenSchema);

export const TokenParamsSchema = z.object({
  id: z.string().min(1).max(64).describe('Token id').meta({ example: '3f9a0c1b2d4e' }),
});
