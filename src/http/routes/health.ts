import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendProblem } from '../problem.js';
import { ProblemSchema } from '../schemas/common.js';

const StatusSchema = z.object({ status: z.string() });

/** Probes for Kubernetes: liveness says the process runs, readiness that the database is usable. */
export const healthRoutes: FastifyPluginAsyncZod<{ ready: () => Promise<boolean> }> = async (
  app,
  { ready },
) => {
  app.get(
    '/healthz',
    {
      config: { scope: 'public', probe: true },
      schema: {
        operationId: 'checkHealth',
        tags: ['operations'],
        summary: 'The process is up',
        description:
          'Liveness: answers as long as the process serves requests; it does not touch the database.',
        response: { 200: StatusSchema },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      config: { scope: 'public', probe: true },
      schema: {
        tags: ['operations'],
        operationId: 'checkReadiness',
        summary: 'The database can serve',
        description:
          'Readiness: the database is reachable, is the file that was opened, and is migrated; 503 otherwise. The answer is reused for a second.',
        response: { 200: StatusSchema, 503: ProblemSchema },
      },
    },
    async (_request, reply) => {
      if (await ready()) return { status: 'ready' };
      return sendProblem(
        reply,
        'NOT_READY',
        'the database cannot serve: unreachable, replaced or not migrated',
      );
    },
  );
};
