import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SpaceService } from '../../service/space-service.js';
import { etagFor, expectedRevision, isNotModified } from '../etag.js';
import { ListQuerySchema, PageQuerySchema, selectorsOf, sendPage } from '../pages.js';
import { jsonCount } from '../presenters/count.js';
import { presentAllocation, presentSpace, presentUse } from '../presenters/space.js';
import { NotModifiedSchema, ProblemSchema } from '../schemas/common.js';
import {
  AllocationInputSchema,
  AllocationListSchema,
  AllocationParamsSchema,
  AllocationSchema,
  AvailableQuerySchema,
  AvailableSchema,
  SpaceInputSchema,
  SpaceListSchema,
  SpaceParamsSchema,
  SpaceSchema,
} from '../schemas/space.js';

const tags = ['spaces'];
const IfMatch = z.string().min(1).max(256).describe('The ETag of the revision you read, or "*"');

/** Address spaces and the blocks allocated from them. */
export const spaceRoutes: FastifyPluginAsyncZod<{ spaces: SpaceService }> = async (app, { spaces }) => {
  app.post(
    '/v1/spaces',
    {
      schema: {
        operationId: 'createSpace',
        tags,
        summary: 'Create an address space',
        description:
          'A space is a set of blocks a platform team owns (IPv4 and IPv6, not overlapping each other) that plans and allocations draw subnets from.',
        body: SpaceInputSchema,
        response: {
          201: SpaceSchema,
          409: ProblemSchema,
          413: ProblemSchema,
          415: ProblemSchema,
          422: ProblemSchema,
          500: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const space = await spaces.create(request.body);
      reply.header('location', `/v1/spaces/${space.id}`).header('etag', etagFor(space.revision));
      return reply.code(201).send(presentSpace(space));
    },
  );

  app.get(
    '/v1/spaces',
    {
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
      const found = await spaces.list({ ...page, labels: selectorsOf(label) });
      return sendPage(request, reply, { items: found.items.map(presentSpace), nextCursor: found.nextCursor });
    },
  );

  app.get(
    '/v1/spaces/:id',
    {
      schema: {
        operationId: 'getSpace',
        tags,
        summary: 'Read an address space',
        description:
          'By id or by name. Answers 304 Not Modified with no body when If-None-Match names the current ETag.',
        params: SpaceParamsSchema,
        headers: z.object({ 'if-none-match': z.string().max(256).optional() }),
        response: { 200: SpaceSchema, 304: NotModifiedSchema, 404: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request, reply) => {
      const space = await spaces.get(request.params.id);
      if (isNotModified(request, reply, space.revision)) return reply.code(304).send(null);
      return presentSpace(space);
    },
  );

  app.put(
    '/v1/spaces/:id',
    {
      schema: {
        operationId: 'replaceSpace',
        tags,
        summary: 'Replace an address space',
        description:
          'Replaces name, description, labels and CIDRs (labels left out are removed). CIDRs may be added; one that still holds allocations cannot be removed (409 SPACE_CIDR_IN_USE). Requires If-Match: 428 without it, 412 when stale.',
        params: SpaceParamsSchema,
        headers: z.object({ 'if-match': IfMatch }),
        body: SpaceInputSchema,
        response: {
          200: SpaceSchema,
          404: ProblemSchema,
          409: ProblemSchema,
          412: ProblemSchema,
          413: ProblemSchema,
          415: ProblemSchema,
          422: ProblemSchema,
          428: ProblemSchema,
          500: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const current = await spaces.get(request.params.id);
      const revision = expectedRevision(request.headers['if-match'], current.revision);
      const space = await spaces.replace(current.id, revision, request.body);
      reply.header('etag', etagFor(space.revision));
      return presentSpace(space);
    },
  );

  app.delete(
    '/v1/spaces/:id',
    {
      schema: {
        operationId: 'deleteSpace',
        tags,
        summary: 'Delete an address space',
        description:
          'Refused (409 SPACE_IN_USE) while the space has allocations. With If-Match, deletes only the revision it names (412 when stale).',
        params: SpaceParamsSchema,
        headers: z.object({ 'if-match': IfMatch.optional() }),
        response: {
          204: z.null().describe('Deleted'),
          404: ProblemSchema,
          409: ProblemSchema,
          412: ProblemSchema,
          500: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const ifMatch = request.headers['if-match'];
      const current = await spaces.get(request.params.id);
      const revision = ifMatch === undefined ? undefined : expectedRevision(ifMatch, current.revision);
      await spaces.delete(current.id, revision);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/spaces/:id/available',
    {
      schema: {
        operationId: 'getFreeSpace',
        tags,
        summary: 'Free blocks, how many of a size fit, and utilization',
        description:
          'The free space as the fewest CIDRs, lowest address first; with prefixLength, how many blocks of that size fit; and use per family.',
        params: SpaceParamsSchema,
        querystring: AvailableQuerySchema,
        response: {
          200: AvailableSchema,
          400: ProblemSchema,
          404: ProblemSchema,
          422: ProblemSchema,
          500: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { prefixLength, family } = request.query;
      const familyNumber = family === undefined ? undefined : family === 'ipv4' ? 4 : 6;
      const answer = await spaces.available(request.params.id, prefixLength, familyNumber);
      return {
        spaceId: answer.space.id,
        free: answer.free.map(String),
        prefixLength: prefixLength ?? null,
        fitting: answer.fitting === null ? null : jsonCount(answer.fitting),
        utilization: answer.use.map(presentUse),
      };
    },
  );

  app.get(
    '/v1/spaces/:id/allocations',
    {
      schema: {
        operationId: 'listAllocations',
        tags,
        summary: 'Allocations of a space, lowest address first',
        description:
          'Pages through the blocks allocated from the space, IPv4 before IPv6, lowest address first.',
        params: SpaceParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: AllocationListSchema, 400: ProblemSchema, 404: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request, reply) => {
      const page = await spaces.allocations(request.params.id, request.query);
      return sendPage(request, reply, {
        items: page.items.map(presentAllocation),
        nextCursor: page.nextCursor,
      });
    },
  );

  app.get(
    '/v1/spaces/:id/allocations/:allocationId',
    {
      schema: {
        operationId: 'getAllocation',
        tags,
        summary: 'Read an allocation',
        description: 'The block, its purpose and the plan that holds it, if any.',
        params: AllocationParamsSchema,
        response: { 200: AllocationSchema, 404: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request) =>
      presentAllocation(await spaces.allocation(request.params.id, request.params.allocationId)),
  );

  app.post(
    '/v1/spaces/:id/allocations',
    {
      schema: {
        operationId: 'allocateBlock',
        tags,
        summary: 'Allocate a block: first fit on aligned boundaries, lowest address first',
        description:
          'Give a prefixLength, a number of usable addresses, or a specific cidr. 409 SPACE_EXHAUSTED names the largest free block; 409 CIDR_TAKEN names the holder. With an Idempotency-Key header, the same key and request (compared with defaults applied) return the same 201 and allocation, marked Idempotent-Replayed: true, for 24 hours even after the allocation is released; the key with another request is 422 IDEMPOTENCY_KEY_REUSED.',
        params: SpaceParamsSchema,
        headers: z.object({
          'idempotency-key': z
            .string()
            .min(1)
            .max(200)
            .optional()
            .describe('Makes retries safe: the same key and request get the same answer for 24 hours'),
        }),
        body: AllocationInputSchema,
        response: {
          201: AllocationSchema,
          404: ProblemSchema,
          409: ProblemSchema,
          413: ProblemSchema,
          415: ProblemSchema,
          422: ProblemSchema,
          500: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const { allocation, replayed } = await spaces.allocate(request.params.id, request.body, key);
      reply.header('location', `/v1/spaces/${allocation.spaceId}/allocations/${allocation.id}`);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(presentAllocation(allocation));
    },
  );

  app.delete(
    '/v1/spaces/:id/allocations/:allocationId',
    {
      schema: {
        operationId: 'releaseAllocation',
        tags,
        summary: 'Release an allocation',
        description: 'The block is free again. An allocation that a plan took is released with the plan.',
        params: AllocationParamsSchema,
        response: { 204: z.null().describe('Released'), 404: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request, reply) => {
      await spaces.release(request.params.id, request.params.allocationId);
      return reply.code(204).send(null);
    },
  );
};
