import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireConcreteRanges } from '../../domain/space/space-refs.js';
import type { NodeService } from '../../service/node-service.js';
import type { PlanService, PlanView } from '../../service/plan-service.js';
import { TimeSlices } from '../../service/time-slices.js';
import { callerOf, teamOf } from '../auth.js';
import { BODY_LIMITS } from '../body-limits.js';
import { compiledSerializer } from '../compiled-serializer.js';
import { etagFor, expectedRevision, isNotModified, sendNotModified } from '../etag.js';
import { ListQuerySchema, linkNext, selectorsOf, sendPageInPieces } from '../pages.js';
import { presentBlock, presentCapacity, presentPlan, presentSlot } from '../presenters/design.js';
import { presentVnet } from '../presenters/vnet.js';
import { CapacitySchema } from '../schemas/capacity.js';
import {
  IfMatchSchema,
  IfNoneMatchSchema,
  NotModifiedSchema,
  PlanIdParamsSchema,
  ProblemSchema,
  problemResponses,
} from '../schemas/common.js';
import { NodePageSchema, NodesQuerySchema } from '../schemas/nodes.js';
import { CreatedPlanSchema, PlanListSchema, PlanSchema, ReplacedPlanSchema } from '../schemas/plan.js';
import { PlanRequestSchema } from '../schemas/plan-input.js';
import { VnetSchema } from '../schemas/vnet.js';

const tags = ['plans'];

/** Plans: create, list, read, replace (If-Match), delete, and their nodes and capacity. */
export const planRoutes: FastifyPluginAsyncZod<{ plans: PlanService; nodes: NodeService }> = async (
  app,
  { plans, nodes },
) => {
  const writePlan = compiledSerializer({ schema: PlanSchema });
  app.post(
    '/v1/plans',
    {
      config: { scope: 'write' },
      bodyLimit: BODY_LIMITS.design,
      schema: {
        operationId: 'createPlan',
        tags,
        summary: 'Create a plan',
        description:
          'Validates the design against the AKS rules, applies defaults, stores it and returns it with its capacity. A design that merely lacks room is accepted with verdict exhausted. Ranges given as { fromSpace } are allocated from that address space in the same transaction.',
        body: PlanRequestSchema,
        response: {
          201: CreatedPlanSchema,
          ...problemResponses(404, 409, 413, 415, 422, 500),
        },
      },
    },
    async (request, reply) => {
      const { labels, ...design } = request.body;
      const view = await plans.create(design, labels, callerOf(request));
      reply.header('etag', etagFor(view.plan)).header('location', `/v1/plans/${view.plan.id}`);
      const allocations =
        view.allocations === undefined ? {} : { allocations: view.allocations.map(presentBlock) };
      return reply.code(201).send({ ...presentPlan(view), ...allocations });
    },
  );

  app.get(
    '/v1/plans',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listPlans',
        tags,
        summary: 'List plans, oldest first',
        description:
          'Pages through the stored plans in creation order. Filter by exact name, and by labels: ?label=team=payments&label=env matches plans labelled team=payments that also have an env label.',
        querystring: ListQuerySchema,
        response: { 200: PlanListSchema, 400: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { label, ...page } = request.query;
      // Laying the plans out and writing them share one clock: together they pause every 10 ms.
      const slices = new TimeSlices(undefined, request.receivedAt);
      const found = await plans.list({ ...page, labels: selectorsOf(label) }, teamOf(request), slices);
      // A page of 200 large plans is tens of MB: each plan written from its schema's shape (not
      // checked by zod first, which held the event loop for a second more), a slice at a time.
      const write = (view: PlanView) => writePlan(presentPlan(view));
      return sendPageInPieces(request, reply, found, write, slices);
    },
  );

  app.get(
    '/v1/plans/:id',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getPlan',
        tags,
        summary: 'Read a plan',
        description:
          'By id or by name. Answers 304 Not Modified with no body when If-None-Match names the current ETag.',
        params: PlanIdParamsSchema,
        headers: z.object({ 'if-none-match': IfNoneMatchSchema.optional() }),
        response: { 200: PlanSchema, 304: NotModifiedSchema, 404: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request, reply) => {
      const view = await plans.get(request.params.id, teamOf(request));
      if (isNotModified(request, reply, view.plan)) return sendNotModified(reply);
      return presentPlan(view);
    },
  );

  app.put(
    '/v1/plans/:id',
    {
      config: { scope: 'write' },
      bodyLimit: BODY_LIMITS.design,
      schema: {
        operationId: 'replacePlan',
        tags,
        summary: 'Replace a plan',
        description:
          'Replaces the design and the labels (labels left out are removed). Requires If-Match with the current ETag: 428 without it, 412 when stale. Refuses with 409 what AKS cannot change on a running cluster (plugin, but for its update of a node-subnet or kubenet cluster to overlay; pod IP allocation, maxPods or OS of an existing pool, the CIDR of a subnet in use, the service CIDR, an overlay pod CIDR other than into a superset); the answer lists what changed, and warns (RESERVATIONS_MOVED) when private endpoints or internal load balancer frontends are planned in another subnet than before.',
        params: PlanIdParamsSchema,
        headers: z.object({ 'if-match': IfMatchSchema }),
        body: PlanRequestSchema,
        response: {
          200: ReplacedPlanSchema,
          ...problemResponses(404, 409, 412, 413, 415, 422, 428, 500),
        },
      },
    },
    async (request, reply) => {
      const current = await plans.get(request.params.id, teamOf(request));
      const revision = expectedRevision(request.headers['if-match'], current.plan);
      const { labels, ...design } = requireConcreteRanges(request.body, 'replacing a plan');
      const view = await plans.replace(current.plan.id, revision, design, labels, callerOf(request));
      reply.header('etag', etagFor(view.plan));
      const presented = presentPlan(view);
      const warnings = [...presented.warnings, ...(view.changeWarnings ?? [])];
      return { ...presented, warnings, changes: [...(view.changes ?? [])] };
    },
  );

  app.delete(
    '/v1/plans/:id',
    {
      config: { scope: 'write' },
      schema: {
        operationId: 'deletePlan',
        tags,
        summary: 'Delete a plan',
        description:
          'Deletes the plan and releases the blocks it took from address spaces. With If-Match, deletes only the revision it names (412 when stale); without it, whatever revision is current.',
        params: PlanIdParamsSchema,
        headers: z.object({ 'if-match': IfMatchSchema.optional() }),
        response: {
          204: z.null().describe('Deleted'),
          ...problemResponses(404, 412, 500),
        },
      },
    },
    async (request, reply) => {
      const ifMatch = request.headers['if-match'];
      const current = await plans.get(request.params.id, teamOf(request));
      const revision = ifMatch === undefined ? undefined : expectedRevision(ifMatch, current.plan);
      await plans.delete(current.plan.id, revision, callerOf(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/plans/:id/nodes',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listNodeSlots',
        tags,
        summary: 'Node slots and their addresses',
        description:
          'One item per node slot, listed by pool and index: each pool has maxCount (or nodeCount) plus surge slots. Slots are computed, so they page by offset (with the total count); Link points at the next page.',
        params: PlanIdParamsSchema,
        querystring: NodesQuerySchema,
        response: { 200: NodePageSchema, 400: ProblemSchema, 404: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request, reply) => {
      const page = await nodes.slots(request.params.id, request.query, teamOf(request));
      const next = request.query.offset + page.items.length;
      if (page.items.length > 0 && next < page.total) linkNext(request, reply, { offset: String(next) });
      return { total: page.total, items: page.items.map(presentSlot) };
    },
  );

  app.get(
    '/v1/plans/:id/capacity',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getCapacity',
        tags,
        summary: 'Will this plan exhaust?',
        description:
          'Every range the plan uses at current size, at the autoscaler maxima and during an upgrade, with verdicts, the smallest subnets that would do, SNAT ports and how far each pool can grow.',
        params: PlanIdParamsSchema,
        response: { 200: CapacitySchema, 404: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request) => {
      const { design } = await plans.get(request.params.id, teamOf(request));
      return presentCapacity(design.model.capacity());
    },
  );

  app.get(
    '/v1/plans/:id/vnet',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getVnet',
        tags,
        summary: 'The whole VNet around the cluster',
        description:
          "Every subnet of the VNet (the cluster's and the platform subnets, given or placed by the planner), the free blocks left, what is missing when a subnet finds no room, the route table the cluster needs (userDefinedRouting through a firewall, kubenet's per-node routes) and the firewall rules AKS needs.",
        params: PlanIdParamsSchema,
        response: { 200: VnetSchema, 404: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request) => {
      const { design } = await plans.get(request.params.id, teamOf(request));
      return presentVnet(design.model.vnet());
    },
  );
};
