import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { requireConcreteRanges } from '../../domain/space/space-refs.js';
import type { PlannerService } from '../../service/planner-service.js';
import { etagFor, expectedRevision, isNotModified } from '../etag.js';
import { presentBlock, presentCapacity, presentPlan, presentSlot } from '../presenters/design.js';
import { CapacitySchema } from '../schemas/capacity.js';
import { NotModifiedSchema, PlanIdParamsSchema, ProblemSchema } from '../schemas/common.js';
import { NodePageSchema, NodesQuerySchema } from '../schemas/nodes.js';
import {
  CreatedPlanSchema,
  PlanListQuerySchema,
  PlanListSchema,
  PlanSchema,
  ReplacedPlanSchema,
} from '../schemas/plan.js';
import { PlanInputSchema } from '../schemas/plan-input.js';

const tags = ['plans'];

/** Plans: create, list, read, replace (If-Match), delete, and their nodes and capacity. */
export const planRoutes: FastifyPluginAsyncZod<{ planner: PlannerService }> = async (app, { planner }) => {
  app.post(
    '/v1/plans',
    {
      schema: {
        tags,
        summary: 'Create a plan',
        description:
          'Validates the design against the AKS rules, applies defaults, stores it and returns it with its capacity. A design that merely lacks room is accepted with verdict exhausted.',
        body: PlanInputSchema,
        response: { 201: CreatedPlanSchema, 409: ProblemSchema, 422: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request, reply) => {
      const view = await planner.create(request.body);
      reply.header('etag', etagFor(view.plan.revision)).header('location', `/v1/plans/${view.plan.id}`);
      const allocations =
        view.allocations === undefined ? {} : { allocations: view.allocations.map(presentBlock) };
      return reply.code(201).send({ ...presentPlan(view), ...allocations });
    },
  );

  app.get(
    '/v1/plans',
    {
      schema: {
        tags,
        summary: 'List plans, oldest first',
        querystring: PlanListQuerySchema,
        response: { 200: PlanListSchema, 400: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request) => {
      const page = await planner.list(request.query);
      return { items: page.items.map(presentPlan), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/plans/:id',
    {
      schema: {
        tags,
        summary: 'Read a plan',
        description: 'Answers 304 Not Modified with no body when If-None-Match names the current ETag.',
        params: PlanIdParamsSchema,
        headers: z.object({ 'if-none-match': z.string().optional() }),
        response: { 200: PlanSchema, 304: NotModifiedSchema, 404: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request, reply) => {
      const view = await planner.get(request.params.id);
      if (isNotModified(request, reply, view.plan.revision)) return reply.code(304).send(null);
      return presentPlan(view);
    },
  );

  app.put(
    '/v1/plans/:id',
    {
      schema: {
        tags,
        summary: 'Replace a plan',
        description:
          'Requires If-Match with the current ETag: 428 without it, 412 when stale. Refuses with 409 what AKS cannot change on a running cluster (plugin, pod IP allocation, maxPods of an existing pool, moving or shrinking a subnet in use, the service CIDR, an overlay pod CIDR other than into a superset); the answer lists what changed.',
        params: PlanIdParamsSchema,
        headers: z.object({ 'if-match': z.string().optional() }),
        body: PlanInputSchema,
        response: {
          200: ReplacedPlanSchema,
          404: ProblemSchema,
          409: ProblemSchema,
          412: ProblemSchema,
          422: ProblemSchema,
          428: ProblemSchema,
          500: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const ifMatch = request.headers['if-match'];
      if (ifMatch === undefined) {
        throw new DomainError(
          'IF_MATCH_REQUIRED',
          'replacing a plan requires If-Match with the ETag of the revision you read',
        );
      }
      const current = await planner.get(request.params.id);
      const revision = expectedRevision(ifMatch, current.plan.revision);
      const input = requireConcreteRanges(request.body, 'replacing a plan');
      const view = await planner.replace(request.params.id, revision, input);
      reply.header('etag', etagFor(view.plan.revision));
      return { ...presentPlan(view), changes: [...(view.changes ?? [])] };
    },
  );

  app.delete(
    '/v1/plans/:id',
    {
      schema: {
        tags,
        summary: 'Delete a plan',
        description:
          'With If-Match, deletes only the revision it names (412 REVISION_MISMATCH when stale); without it, deletes whatever revision is current.',
        params: PlanIdParamsSchema,
        headers: z.object({ 'if-match': z.string().optional() }),
        response: {
          204: z.null().describe('Deleted'),
          404: ProblemSchema,
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
          : expectedRevision(ifMatch, (await planner.get(request.params.id)).plan.revision);
      await planner.delete(request.params.id, revision);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/plans/:id/nodes',
    {
      schema: {
        tags,
        summary: 'Node slots and their addresses',
        description:
          'One item per node slot in plan order: each pool has maxCount (or nodeCount) plus surge slots.',
        params: PlanIdParamsSchema,
        querystring: NodesQuerySchema,
        response: { 200: NodePageSchema, 400: ProblemSchema, 404: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request) => {
      const page = await planner.nodes(request.params.id, request.query);
      return { total: page.total, items: page.items.map(presentSlot) };
    },
  );

  app.get(
    '/v1/plans/:id/capacity',
    {
      schema: {
        tags,
        summary: 'Will this plan exhaust?',
        params: PlanIdParamsSchema,
        response: { 200: CapacitySchema, 404: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request) => {
      const { design } = await planner.get(request.params.id);
      return presentCapacity(design.model.capacity());
    },
  );
};
