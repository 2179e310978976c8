import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PlanStore } from '../../store/plan-store.js';
import { sendProblem } from '../problem.js';
import { ProblemSchema } from '../schemas/common.js';

const StatusSchema = z.object({ status: z.string() });

/** Probes for Kubernetes: liveness says the process runs, readiness that the database is usable. */
export const healthRoutes: FastifyPluginAsyncZod<{ store: PlanStore }> = async (app, { store }) => {
  app.get(
    '/healthz',
    {
      schema: { tags: ['operations'], summary: 'The process is up', response: { 200: StatusSchema } },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'The database is reachable and migrated',
        response: { 200: StatusSchema, 503: ProblemSchema },
      },
    },
    async (_request, reply) => {
      if (await store.isReady()) return { status: 'ready' };
      return sendProblem(
        reply,
        'NOT_READY',
        'the database cannot serve: unreachable, replaced or not migrated',
      );
    },
  );
};
