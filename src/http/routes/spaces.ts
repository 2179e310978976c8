import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SpaceService } from '../../service/space-service.js';
import { callerOf, teamOf } from '../auth.js';
import { BODY_LIMITS } from '../body-limits.js';
import { etagFor, expectedRevision, isNotModified, sendNotModified } from '../etag.js';
import { ListQuerySchema, selectorsOf, sendPage } from '../pages.js';
import { presentSpace } from '../presenters/space.js';
import {
  IfMatchSchema,
  IfNoneMatchSchema,
  NotModifiedSchema,
  ProblemSchema,
  problemResponses,
} from '../schemas/common.js';
import { SpaceInputSchema, SpaceListSchema, SpaceParamsSchema, SpaceSchema } from '../schemas/space.js';

const tags = ['spaces'];

/** Address spaces: create, read, list, replace and delete. */
export const spaceRoutes: FastifyPluginAsyncZod<{ spaces: SpaceService }> = async (app, { spaces }) => {
  app.post(
    '/v1/spaces',
    {
      config: { scope: 'write' },
      bodyLimit: BODY_LIMITS.space,
      schema: {
        operationId: 'createSpace',
        tags,
        summary: 'Create an address space',
        description:
          'A space is a set of blocks a platform team owns (IPv4 and IPv6, not overlapping each other) that plans and allocations draw subnets from.',
        body: SpaceInputSchema,
        response: {
          201: SpaceSchema,
          ...problemResponses(409, 413, 415, 422, 500),
        },
      },
    },
    async (request, reply) => {
      const space = await spaces.create(request.body, callerOf(request));
      reply.header('location', `/v1/spaces/${space.id}`).header('etag', etagFor(space));
      return reply.code(201).send(presentSpace(space));
    },
  );

  app.get(
    '/v1/spaces',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listSpaces',
        tags,
        summary: 'List address spaces, oldest first',
        description:
          'Pages through the spaces in creation order, filtered by exact name and by labels like plans.',
        querystring: ListQuerySchema,
        response: { 200: SpaceListSchema, 400: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { label, ...page } = request.query;
      const found = await spaces.list({ ...page, labels: selectorsOf(label) }, teamOf(request));
      return sendPage(request, reply, { items: found.items.map(presentSpace), nextCursor: found.nextCursor });
    },
  );

  app.get(
    '/v1/spaces/:id',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getSpace',
        tags,
        summary: 'Read an address space',
        description:
          'By id or by name. Answers 304 Not Modified with no body when If-None-Match names the current ETag.',
        params: SpaceParamsSchema,
        headers: z.object({ 'if-none-match': IfNoneMatchSchema.optional() }),
        response: { 200: SpaceSchema, 304: NotModifiedSchema, 404: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request, reply) => {
      const space = await spaces.get(request.params.id, teamOf(request));
      if (isNotModified(request, reply, space)) return sendNotModified(reply);
      return presentSpace(space);
    },
  );

  app.put(
    '/v1/spaces/:id',
    {
      config: { scope: 'write' },
      bodyLimit: BODY_LIMITS.space,
      schema: {
        operationId: 'replaceSpace',
        tags,
        summary: 'Replace an address space',
        description:
          'Replaces name, description, labels and CIDRs (labels left out are removed). CIDRs may be added; one that still holds allocations cannot be removed (409 SPACE_CIDR_IN_USE). Requires If-Match: 428 without it, 412 when stale.',
        params: SpaceParamsSchema,
        headers: z.object({ 'if-match': IfMatchSchema }),
        body: SpaceInputSchema,
        response: {
          200: SpaceSchema,
          ...problemResponses(404, 409, 412, 413, 415, 422, 428, 500),
        },
      },
    },
    async (request, reply) => {
      const current = await spaces.get(request.params.id, teamOf(request));
      const revision = expectedRevision(request.headers['if-match'], current);
      const space = await spaces.replace(current.id, revision, request.body, callerOf(request));
      reply.header('etag', etagFor(space));
      return presentSpace(space);
    },
  );

  app.delete(
    '/v1/spaces/:id',
    {
      config: { scope: 'write' },
      schema: {
        operationId: 'deleteSpace',
        tags,
        summary: 'Delete an address space',
        description:
          'Refused (409 SPACE_IN_USE) while the space has allocations. With If-Match, deletes only the revision it names (412 when stale).',
        params: SpaceParamsSchema,
        headers: z.object({ 'if-match': IfMatchSchema.optional() }),
        response: {
          204: z.null().describe('Deleted'),
          ...problemResponses(404, 409, 412, 500),
        },
      },
    },
    async (request, reply) => {
      const ifMatch = request.headers['if-match'];
      const current = await spaces.get(request.params.id, teamOf(request));
      const revision = ifMatch === undefined ? undefined : expectedRevision(ifMatch, current);
      await spaces.delete(current.id, revision, callerOf(request));
      return reply.code(204).send(null);
    },
  );
};
