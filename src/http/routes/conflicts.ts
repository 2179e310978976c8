import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HeldRange } from '../../domain/space/conflicts.js';
import type { ConflictService } from '../../service/conflict-service.js';
import { PageQuerySchema, pageSchema, sendPage } from '../pages.js';
import { ProblemSchema } from '../schemas/common.js';

const SideSchema = z.object({
  type: z.enum(['plan', 'allocation']),
  id: z.string(),
  name: z.string().describe('The plan name, or "space: purpose" for an allocation'),
  kind: z.enum(['node-subnet', 'pod-subnet', 'pod-cidr', 'service-cidr', 'vnet', 'allocation']),
  cidr: z.string(),
});

const ConflictListSchema = pageSchema(
  z.object({
    code: z.string(),
    severity: z.enum(['error', 'warning']),
    message: z.string(),
    sides: z.array(SideSchema).length(2),
  }),
);

const side = (r: HeldRange) => ({ ...r.holder, kind: r.kind, cidr: r.cidr.toString() });

/** Overlaps among stored plans and allocations that Azure or AKS would not allow. */
export const conflictRoutes: FastifyPluginAsyncZod<{ conflicts: ConflictService }> = async (
  app,
  { conflicts },
) => {
  app.get(
    '/v1/conflicts',
    {
      schema: {
        operationId: 'listConflicts',
        tags: ['spaces'],
        summary: 'Every overlap among stored plans and allocations that Azure or AKS would not allow',
        description:
          'Errors: subnets that partly overlap, kubenet sharing a subnet, a pod CIDR over the VNet or a subnet of a peer, a service CIDR over a subnet of a peer, allocations from overlapping spaces. Warnings: Azure CNI clusters sharing a subnet (their planned layouts collide), plans using addresses allocated to something else. Reused overlay pod CIDRs and service CIDRs are not conflicts.',
        querystring: PageQuerySchema,
        response: { 200: ConflictListSchema, 400: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request, reply) => {
      const page = await conflicts.page(request.query);
      const items = page.items.map((c) => ({
        code: c.code,
        severity: c.severity,
        message: c.message,
        sides: [side(c.sides[0]), side(c.sides[1])],
      }));
      return sendPage(request, reply, { items, nextCursor: page.nextCursor });
    },
  );
};
