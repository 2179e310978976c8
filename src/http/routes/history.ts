import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HistoryService, PlanRevision } from '../../service/history-service.js';
import { principalOf } from '../auth.js';
import { sendPage } from '../pages.js';
import { PlanIdParamsSchema, problemResponses } from '../schemas/common.js';
import {
  AuditListSchema,
  AuditQuerySchema,
  RevisionListSchema,
  RevisionParamsSchema,
  RevisionSchema,
  RevisionsQuerySchema,
} from '../schemas/history.js';

/** The audit trail (admins) and every plan's revisions. */
export const historyRoutes: FastifyPluginAsyncZod<{ history: HistoryService }> = async (app, { history }) => {
  app.get(
    '/v1/audit',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'listAuditEntries',
        tags: ['audit'],
        summary: 'Who changed what, newest first',
        description:
          'One entry per committed write (plans, spaces, allocations, nodes, tokens), written in the same transaction as the write: a write that rolled back left none. Filter by target id, actor id, action and time.',
        querystring: AuditQuerySchema,
        response: { 200: AuditListSchema, ...problemResponses(400, 500) },
      },
    },
    async (request, reply) => {
      const page = await history.entries(request.query);
      return sendPage(request, reply, page);
    },
  );

  app.get(
    '/v1/plans/:id/revisions',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listPlanRevisions',
        tags: ['plans'],
        summary: "A plan's revisions, newest first",
        description:
          "Every revision the plan has had: when, by whom, and what changed from the one before. A deleted plan's history stays readable to admins, by its id.",
        params: PlanIdParamsSchema,
        querystring: RevisionsQuerySchema,
        response: { 200: RevisionListSchema, ...problemResponses(400, 404, 500) },
      },
    },
    async (request, reply) => {
      const page = await history.revisions(request.params.id, principalOf(request), request.query);
      const items = page.items.map(({ revision, changes }) => ({
        revision: revision.revision,
        name: revision.name,
        at: revision.at,
        actor: revision.actor,
        changes: [...changes],
      }));
      return sendPage(request, reply, { items, nextCursor: page.nextCursor });
    },
  );

  app.get(
    '/v1/plans/:id/revisions/:revision',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getPlanRevision',
        tags: ['plans'],
        summary: 'One revision of a plan, as it was stored',
        description: 'The design (with defaults applied) the plan had at that revision.',
        params: RevisionParamsSchema,
        response: { 200: RevisionSchema, ...problemResponses(400, 404, 500) },
      },
    },
    async (request) =>
      presentRevision(
        await history.revision(request.params.id, principalOf(request), request.params.revision),
      ),
  );
};

function presentRevision(r: PlanRevision) {
  return {
    planId: r.planId,
    revision: r.revision,
    name: r.name,
    at: r.at,
    actor: r.actor,
    spec: r.spec,
    defaultsApplied: [...r.defaultsApplied],
  };
}
