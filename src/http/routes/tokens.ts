import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TokenService } from '../../service/token-service.js';
import { changeOf } from '../auth.js';
import { BODY_LIMITS } from '../body-limits.js';
import { PageQuerySchema, sendPage } from '../pages.js';
import { presentToken } from '../presenters/token.js';
import { problemResponses } from '../schemas/common.js';
import {
  IssuedTokenSchema,
  TokenInputSchema,
  TokenListSchema,
  TokenParamsSchema,
  TokenSchema,
} from '../schemas/token.js';

const tags = ['tokens'];

/** API tokens: create (the secret shown once), list (never the secret), revoke. Admin only. */
export const tokenRoutes: FastifyPluginAsyncZod<{ tokens: TokenService }> = async (app, { tokens }) => {
  app.post(
    '/v1/tokens',
    {
      config: { scope: 'admin' },
      bodyLimit: BODY_LIMITS.small,
      schema: {
        operationId: 'createToken',
        tags,
        summary: 'Create an API token',
        description:
          'Answers the token text once, in `token`: only its SHA-256 is stored, so it cannot be shown again. Tokens look like aksip_<id>_<secret> with 256 random bits of secret.',
        body: TokenInputSchema,
        response: { 201: IssuedTokenSchema, ...problemResponses(413, 415, 422, 500) },
      },
    },
    async (request, reply) => {
      const { token, secret } = await tokens.issue(
        request.body,
        request.body.labels ?? {},
        changeOf(request),
      );
      reply.header('location', `/v1/tokens/${token.id}`).header('cache-control', 'no-store');
      return reply.code(201).send({ ...presentToken(token), token: secret });
    },
  );

  app.get(
    '/v1/tokens',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'listTokens',
        tags,
        summary: 'List unrevoked tokens, oldest first',
        description: 'Never shows a secret; expired tokens are listed until revoked.',
        querystring: PageQuerySchema,
        response: { 200: TokenListSchema, ...problemResponses(400, 500) },
      },
    },
    async (request, reply) => {
      const page = await tokens.list(request.query);
      return sendPage(request, reply, { items: page.items.map(presentToken), nextCursor: page.nextCursor });
    },
  );

  app.get(
    '/v1/tokens/:id',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'getToken',
        tags,
        summary: "One unrevoked token (where a created token's Location points)",
        description: 'Never shows the secret; a revoked token is 404.',
        params: TokenParamsSchema,
        response: { 200: TokenSchema, ...problemResponses(400, 404, 500) },
      },
    },
    async (request) => presentToken(await tokens.get(request.params.id)),
  );

  app.delete(
    '/v1/tokens/:id',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'revokeToken',
        tags,
        summary: 'Revoke a token',
        description: 'Takes effect at once, in every process: the next request with the token is 401.',
        params: TokenParamsSchema,
        response: { 204: z.null().describe('Revoked'), ...problemResponses(404, 500) },
      },
    },
    async (request, reply) => {
      await tokens.revoke(request.params.id, changeOf(request));
      return reply.code(204).send(null);
    },
  );
};
