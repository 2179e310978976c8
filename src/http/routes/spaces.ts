import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SpaceService } from '../../service/space-service.js';
import { etagFor, expectedRevision, isNotModified } from '../etag.js';
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

/** Address spaces and the blocks allocated from them. */
export const spaceRoutes: FastifyPluginAsyncZod<{ spaces: SpaceService }> = async (app, { spaces }) => {
  app.post(
    '/v1/spaces',
    {
      schema: {
        tags,
        summary: 'Create an address space',
        body: SpaceInputSchema,
        response: { 201: SpaceSchema, 409: ProblemSchema, 422: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { name, cidrs, description } = request.body;
      const space = await spaces.create(name, cidrs, description ?? null);
      reply.header('location', `/v1/spaces/${space.id}`).header('etag', etagFor(space.revision));
      return reply.code(201).send(presentSpace(space));
    },
  );

  app.get(
    '/v1/spaces',
    {
      schema: {
        tags,
        summary: 'List address spaces',
        response: { 200: SpaceListSchema, 500: ProblemSchema },
      },
    },
    async () => ({ items: (await spaces.list()).map(presentSpace) }),
  );

  app.get(
    '/v1/spaces/:id',
    {
      schema: {
        tags,
        summary: 'Read an address space',
        description: 'Answers 304 Not Modified with no body when If-None-Match names the current ETag.',
        params: SpaceParamsSchema,
        headers: z.object({ 'if-none-match': z.string().optional() }),
        response: { 200: SpaceSchema, 304: NotModifiedSchema, 404: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request, reply) => {
      const space = await spaces.get(request.params.id);
      if (isNotModified(request, reply, space.revision)) return reply.code(304).send(null);
      return presentSpace(space);
    },
  );

  app.delete(
    '/v1/spaces/:id',
    {
      schema: {
        tags,
        summary: 'Delete an address space (refused while it has allocations)',
        description: 'With If-Match, deletes only the revision it names (412 REVISION_MISMATCH when stale).',
        params: SpaceParamsSchema,
        headers: z.object({ 'if-match': z.string().optional() }),
        response: {
          204: z.null(),
          404: ProblemSchema,
          409: ProblemSchema,
          412: ProblemSchema,
          500: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const ifMatch = request.headers['if-match'];
      const revision =
        ifMatch === undefined
          ? undefined
          : expectedRevision(ifMatch, (await spaces.get(request.params.id)).revision);
      await spaces.delete(request.params.id, revision);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/spaces/:id/available',
    {
      schema: {
        tags,
        summary: 'Free blocks, how many of a size fit, and utilization',
        params: SpaceParamsSchema,
        querystring: AvailableQuerySchema,
        response: { 200: AvailableSchema, 400: ProblemSchema, 404: ProblemSchema, 500: ProblemSchema },
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
        tags,
        summary: 'Allocations of a space, lowest address first',
        params: SpaceParamsSchema,
        response: { 200: AllocationListSchema, 404: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request) => ({ items: (await spaces.allocations(request.params.id)).map(presentAllocation) }),
  );

  app.post(
    '/v1/spaces/:id/allocations',
    {
      schema: {
        tags,
        summary: 'Allocate a block: first fit on aligned boundaries, lowest address first',
        description:
          'Give a prefixLength, a number of usable addresses, or a specific cidr. 409 SPACE_EXHAUSTED names the largest free block; 409 CIDR_TAKEN names the holder. With an Idempotency-Key header, the same key and request (compared with defaults applied) return the same 201 and allocation, marked Idempotent-Replayed: true, for 24 hours even after the allocation is released; the key with another request is 422 IDEMPOTENCY_KEY_REUSED.',
        params: SpaceParamsSchema,
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
        body: AllocationInputSchema,
        response: {
          201: AllocationSchema,
          404: ProblemSchema,
          409: ProblemSchema,
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
        tags,
        summary: 'Release an allocation',
        params: AllocationParamsSchema,
        response: { 204: z.null(), 404: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request, reply) => {
      await spaces.release(request.params.id, request.params.allocationId);
      return reply.code(204).send(null);
    },
  );
};
