import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ConflictService } from '../../service/conflict-service.js';
import { teamOf } from '../auth.js';
import { compiledSerializer } from '../compiled-serializer.js';
import { MAX_PAGE, PageQuerySchema, sendPageInPieces } from '../pages.js';
import { presentConflict } from '../presenters/conflict.js';
import { ProblemSchema } from '../schemas/common.js';
import { ConflictListSchema, ConflictSchema, MAX_HOLDERS_PER_SIDE } from '../schemas/conflict.js';

/** Overlaps among stored plans and allocations that Azure or AKS would not allow. */
export const conflictRoutes: FastifyPluginAsyncZod<{ conflicts: ConflictService }> = async (
  app,
  { conflicts },
) => {
  const writeConflict = compiledSerializer({ schema: ConflictSchema });
  app.get(
    '/v1/conflicts',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listConflicts',
        tags: ['spaces'],
        summary: 'Every overlap among stored plans and allocations that Azure or AKS would not allow',
        description: `Errors: subnets that partly overlap, kubenet sharing a subnet, a pod subnet shared by a static block cluster and a dynamic one, a pod CIDR over the VNet or a subnet of a peer, a service CIDR over a subnet of a peer, one platform subnet under two names (PLATFORM_SUBNET_NAMES_DIFFER), clusters sharing a platform subnet that together take more than its usable addresses (SHARED_PLATFORM_SUBNET_FULL: 9 for each API server, the private endpoints or internal load balancer frontends of each plan holding them there), allocations from overlapping spaces. Warnings: Azure CNI clusters sharing a subnet they lay out (their planned layouts collide), plans using addresses allocated to something else. Reused overlay pod CIDRs and service CIDRs, and pod subnets shared by dynamic IP allocation clusters, are not conflicts. Plans holding the same range (one kind, one CIDR) are grouped: a subnet shared by many plans is one item, and an overlap of two ranges is one item however many plans hold each. Items come in address order, at most ${MAX_PAGE} a page; each side lists at most ${MAX_HOLDERS_PER_SIDE} holders, and holderCount gives the true number.`,
        querystring: PageQuerySchema,
        response: { 200: ConflictListSchema, 400: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request, reply) => {
      const page = await conflicts.page(request.query, teamOf(request));
      // A page can list 200 conflicts of 100 holders a side (MBs): written item by item.
      return sendPageInPieces(request, reply, page, (conflict) => writeConflict(presentConflict(conflict)));
    },
  );
};
