import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PlanService } from '../../service/plan-service.js';
import { callerOf } from '../auth.js';
import { BODY_LIMITS } from '../body-limits.js';
import { etagFor } from '../etag.js';
import { presentDesign, presentPlan } from '../presenters/design.js';
import { LabelsSchema, problemResponses } from '../schemas/common.js';
import { DesignFields, PlanSchema } from '../schemas/plan.js';

const ImportWarningSchema = z.object({
  path: z.string().describe('Where in the given JSON, such as cluster.agentPoolProfiles[1].mode'),
  message: z.string(),
});

const ImportBodySchema = z
  .object({
    name: z.string().max(63).optional().describe("The plan's name; the cluster's name by default"),
    labels: LabelsSchema.optional(),
    cluster: z
      .unknown()
      // A missing key's own message says only "expected nonoptional".
      .nonoptional({ error: 'required: the output of `az aks show -o json`' })
      .describe('The output of `az aks show -o json`, as it is'),
    subnets: z
      .array(z.unknown())
      .max(1000)
      .optional()
      .describe('`az network vnet subnet show -o json` of every subnet the pools name'),
    vnet: z
      .unknown()
      .optional()
      .describe("`az network vnet show -o json`: its address space becomes the plan's"),
  })
  .strict();

const importWarnings = z
  .array(ImportWarningSchema)
  .describe('What of the cluster the plan does not carry, or carries as an assumption');

/** A running cluster, read from what `az` prints, as a plan. */
export const planImportRoutes: FastifyPluginAsyncZod<{ plans: PlanService }> = async (app, { plans }) => {
  app.post(
    '/v1/plan-imports',
    {
      // A dry run only reads, and needs the read scope only.
      config: { scope: 'write', readOnlyWhen: (query) => (query as { dryRun?: unknown }).dryRun === 'true' },
      bodyLimit: BODY_LIMITS.azImport,
      schema: {
        operationId: 'importPlan',
        tags: ['plans'],
        summary: 'Import a running cluster from az JSON as a plan',
        description:
          'Builds the plan from `az aks show -o json` (plugin and mode, pod and service CIDRs, DNS IP, outbound type and profile, every pool with its count, autoscaler, maxPods, OS, mode, maxSurge, node public IPs and subnets, private cluster), resolving vnetSubnetId and podSubnetId through the subnets given (422 AZ_SUBNET_MISSING naming an id without its JSON). Stores it (write scope, 201), or with ?dryRun=true answers it as a calculation (read scope, 200). importWarnings lists what it could not carry.',
        querystring: z.strictObject({
          dryRun: z
            .enum(['true', 'false'])
            .default('false')
            .describe('true: answer the plan as a calculation and store nothing (read scope)'),
        }),
        body: ImportBodySchema,
        response: {
          200: z.object({ ...DesignFields, importWarnings }),
          201: PlanSchema.extend({ importWarnings }),
          ...problemResponses(403, 409, 413, 415, 422, 500),
        },
      },
    },
    async (request, reply) => {
      const { labels, ...given } = request.body;
      if (request.query.dryRun === 'true') {
        const { design, warnings } = plans.importDryRun(given);
        return reply.code(200).send({ ...presentDesign(design), importWarnings: warnings });
      }
      const { view, warnings } = await plans.importCluster(given, labels ?? {}, callerOf(request));
      reply.header('etag', etagFor(view.plan)).header('location', `/v1/plans/${view.plan.id}`);
      return reply.code(201).send({ ...presentPlan(view), importWarnings: warnings });
    },
  );
};
