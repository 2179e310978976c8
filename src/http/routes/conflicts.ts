import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findConflicts, type HeldRange } from '../../domain/space/conflicts.js';
import type { Store } from '../../store/store.js';
import { ProblemSchema } from '../schemas/common.js';

const SideSchema = z.object({
  type: z.enum(['plan', 'allocation']),
  id: z.string(),
  name: z.string().describe('The plan name, or "space: purpose" for an allocation'),
  kind: z.enum(['node-subnet', 'pod-subnet', 'pod-cidr', 'service-cidr', 'vnet', 'allocation']),
  cidr: z.string(),
});

const ConflictListSchema = z.object({
  conflicts: z.array(
    z.object({
      code: z.string(),
      severity: z.enum(['error', 'warning']),
      message: z.string(),
      sides: z.array(SideSchema).length(2),
    }),
  ),
});

const side = (r: HeldRange) => ({ ...r.holder, kind: r.kind, cidr: r.cidr.toString() });

/** Overlaps among stored plans and allocations that Azure or AKS would not allow. */
export const conflictRoutes: FastifyPluginAsyncZod<{ store: Store }> = async (app, { store }) => {
  app.get(
    '/v1/conflicts',
    {
      schema: {
        tags: ['spaces'],
        summary: 'Every overlap among stored plans and allocations that Azure or AKS would not allow',
        description:
          'Errors: subnets that partly overlap, kubenet sharing a subnet, a pod CIDR over the VNet or a subnet of a peer, a service CIDR over a subnet of a peer, allocations from overlapping spaces. Warnings: Azure CNI clusters sharing a subnet (their planned layouts collide), plans using addresses allocated to something else. Reused overlay pod CIDRs and service CIDRs are not conflicts.',
        response: { 200: ConflictListSchema, 500: ProblemSchema },
      },
    },
    async () => {
      const conflicts = findConflicts(await store.heldRanges());
      return {
        conflicts: conflicts.map((c) => ({
          code: c.code,
          severity: c.severity,
          message: c.message,
          sides: [side(c.sides[0]), side(c.sides[1])],
        })),
      };
    },
  );
};
