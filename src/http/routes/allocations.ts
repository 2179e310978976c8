import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import type { SpaceService } from '../../service/space-service.js';
import { callerOf, teamOf } from '../auth.js';
import { BODY_LIMITS } from '../body-limits.js';
import { PageQuerySchema, sendPage } from '../pages.js';
import { jsonCount } from '../presenters/count.js';
import { presentAllocation, presentUse } from '../presenters/space.js';
import { sendProblem } from '../problem.js';
import { ProblemSchema, problemResponses } from '../schemas/common.js';
import {
  AllocationInputSchema,
  AllocationListSchema,
  AllocationParamsSchema,
  AllocationSchema,
  AvailableQuerySchema,
  AvailableSchema,
  SpaceParamsSchema,
} from '../schemas/space.js';

const tags = ['spaces'];

/** The free space of an address space and the blocks allocated from it. */
export const allocationRoutes: FastifyPluginAsyncZod<{ spaces: SpaceService }> = async (app, { spaces }) => {
  app.get(
    '/v1/spaces/:id/available',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getFreeSpace',
        tags,
        summary: 'Free blocks, how many of a size fit, and utilization',
        description:
          'The free space as the fewest CIDRs, lowest address first (the first 1,000, freeCount says how many there are); with prefixLength, how many blocks of that size fit; and use per family.',
        params: SpaceParamsSchema,
        querystring: AvailableQuerySchema,
        response: {
          200: AvailableSchema,
          ...problemResponses(400, 404, 500),
        },
      },
    },
    async (request, reply) => {
      const { prefixLength, family } = request.query;
      const familyNumber = family === undefined ? undefined : family === 'ipv4' ? 4 : 6;
      let answer: Awaited<ReturnType<SpaceService['available']>>;
      try {
        answer = await spaces.available(request.params.id, prefixLength, familyNumber, teamOf(request));
      } catch (error) {
        // A length the family has no prefix of comes from the query: 400, as any query problem
        // (the same rule broken by an allocation's body is 422).
        if (!(error instanceof DomainError) || error.code !== 'PREFIX_LENGTH_INVALID') throw error;
        return sendProblem(reply, error.code, error.message, { status: 400, errors: error.problems });
      }
      return {
        spaceId: answer.space.id,
        free: answer.free.map(String),
        freeCount: answer.freeCount,
        prefixLength: prefixLength ?? null,
        fitting: answer.fitting === null ? null : jsonCount(answer.fitting),
        utilization: answer.use.map(presentUse),
      };
    },
  );

  app.get(
    '/v1/spaces/:id/allocations',
    {
      config: { scope: 'read' },
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
      const page = await spaces.allocations(request.params.id, request.query, teamOf(request));
      return sendPage(request, reply, {
        items: page.items.map(presentAllocation),
        nextCursor: page.nextCursor,
      });
    },
  );

  app.get(
    '/v1/spaces/:id/allocations/:allocationId',
    {
      config: { scope: 'read' },
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
      presentAllocation(
        await spaces.allocation(request.params.id, request.params.allocationId, teamOf(request)),
      ),
  );

  app.post(
    '/v1/spaces/:id/allocations',
    {
      config: { scope: 'write' },
      bodyLimit: BODY_LIMITS.small,
      schema: {
        operationId: 'allocateBlock',
        tags,
        summary: 'Allocate a block: first fit on aligned boundaries, lowest address first',
        description:
          'Give a prefixLength, a number of usable addresses, or a specific cidr. 409 SPACE_EXHAUSTED names the largest free block; 409 CIDR_TAKEN names the holder. With an Idempotency-Key header, the same key and request (compared with defaults applied) return the same 201 and allocation, marked Idempotent-Replayed: true, for 24 hours; the key with another request is 422 IDEMPOTENCY_KEY_REUSED, and the key of an allocation released since is 409 IDEMPOTENCY_KEY_RELEASED (its block may be held by someone else by now).',
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
          ...problemResponses(404, 409, 413, 415, 422, 500),
        },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const { allocation, replayed } = await spaces.allocate(
        request.params.id,
        request.body,
        key,
        callerOf(request),
      );
      reply.header('location', `/v1/spaces/${allocation.spaceId}/allocations/${allocation.id}`);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(presentAllocation(allocation));
    },
  );

  app.delete(
    '/v1/spaces/:id/allocations/:allocationId',
    {
      config: { scope: 'write' },
      schema: {
        operationId: 'releaseAllocation',
        tags,
        summary: 'Release an allocation',
        description:
          'The block is free again. An allocation that a plan took is released with the plan: releasing it alone is 409 ALLOCATION_HELD_BY_PLAN.',
        params: AllocationParamsSchema,
        response: {
          204: z.null().describe('Released'),
          404: ProblemSchema,
          409: ProblemSchema,
          500: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      await spaces.release(request.params.id, request.params.allocationId, callerOf(request));
      return reply.code(204).send(null);
    },
  );
};
