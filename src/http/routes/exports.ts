import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EXPORT_FORMATS, exportDesign } from '../../domain/exports/index.js';
import type { PlanService } from '../../service/plan-service.js';
import { teamOf } from '../auth.js';
import { BODY_LIMITS } from '../body-limits.js';
import { problemResponses } from '../schemas/common.js';
import { CalculationInputSchema } from '../schemas/plan-input.js';

const FormatSchema = z
  .enum(EXPORT_FORMATS)
  .describe('terraform (azurerm 4.x), az-cli (a bash script) or bicep')
  .meta({ example: 'terraform' });

/** Text, sent as is (text/plain is not serialized); the document says so (openapi/refine.ts). */
const ExportSchema = z.string().describe('The file: Terraform, a bash script or Bicep');

const WHAT =
  'Subnets (address prefixes; pod subnets delegated to AKS), the cluster with its network profile (plugin, mode, dataplane, pod and service CIDRs, DNS IP, outbound type and profile, IP versions, private cluster) and its first System pool, and every other pool (count, autoscaler min and max, maxPods, subnets, maxSurge, node public IPs). The resource group, region, VNet and VM size are variables. What the target cannot express is written as a comment, never as wrong code.';

/** A plan as infrastructure code: Terraform, the az CLI or Bicep, as a file to save. */
export const exportRoutes: FastifyPluginAsyncZod<{ plans: PlanService }> = async (app, { plans }) => {
  app.get(
    '/v1/plans/:id/exports/:format',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'exportPlan',
        tags: ['plans'],
        summary: 'The plan as Terraform, az CLI or Bicep',
        description: `${WHAT} Answers text/plain with Content-Disposition naming the file.`,
        params: z.object({
          id: z.string().min(1).max(128).describe('Plan id or name'),
          format: FormatSchema,
        }),
        response: { 200: ExportSchema, ...problemResponses(400, 404, 500) },
      },
    },
    async (request, reply) => {
      const { plan, design } = await plans.get(request.params.id, teamOf(request));
      const origin = `plan "${plan.name}" (revision ${plan.revision})`;
      const { fileName, text } = exportDesign(design, request.params.format, origin);
      return reply
        .type('text/plain; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(text);
    },
  );

  app.post(
    '/v1/calculations/exports/:format',
    {
      config: { scope: 'read' },
      bodyLimit: BODY_LIMITS.design,
      schema: {
        operationId: 'exportCalculation',
        tags: ['calculations'],
        summary: 'A design as Terraform, az CLI or Bicep, without storing it',
        description: `The same as a plan's export, for a design that is not stored. ${WHAT}`,
        params: z.object({ format: FormatSchema }),
        body: CalculationInputSchema,
        response: { 200: ExportSchema, ...problemResponses(400, 404, 409, 413, 415, 422, 500) },
      },
    },
    async (request, reply) => {
      const { design } = await plans.calculateRequest(request.body, teamOf(request));
      const { fileName, text } = exportDesign(design, request.params.format, 'a calculation');
      return reply
        .type('text/plain; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(text);
    },
  );
};
