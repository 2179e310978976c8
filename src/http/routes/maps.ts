import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { svgMapInSlices } from '../../service/map-slices.js';
import type { PlanService } from '../../service/plan-service.js';
import { teamOf } from '../auth.js';
import { BODY_LIMITS } from '../body-limits.js';
import { problemResponses } from '../schemas/common.js';
import { CalculationInputSchema } from '../schemas/plan-input.js';

/** SVG, sent as is (not serialized as JSON); the document says image/svg+xml (openapi/refine.ts). */
const SvgSchema = z.string().describe('An SVG image');

const WHAT =
  'One band per range (node subnet, pod subnet, pod CIDR, service CIDR) drawn to scale: Azure-reserved addresses, each node slot (current, autoscaler growth and upgrade surge in their own colours), load balancer and private endpoint reservations, free space, and what does not fit drawn past the end of its band. Every rectangle has a tooltip; runs of slots thinner than a pixel are drawn as one. A legend, the first and last address of each range, and the verdicts as titles.';

const SVG = 'image/svg+xml; charset=utf-8';

/** A picture of a plan's address space. */
export const mapRoutes: FastifyPluginAsyncZod<{ plans: PlanService }> = async (app, { plans }) => {
  app.get(
    '/v1/plans/:id/map.svg',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getPlanMap',
        tags: ['plans'],
        summary: "A picture of the plan's address space (SVG)",
        description: WHAT,
        params: z.object({
          id: z.string().min(1).max(128).describe('Plan id or name').meta({ example: 'prod-weu-1' }),
        }),
        response: { 200: SvgSchema, ...problemResponses(400, 404, 500) },
      },
    },
    async (request, reply) => {
      const { design } = await plans.get(request.params.id, teamOf(request));
      return reply.type(SVG).send(await svgMapInSlices(design));
    },
  );

  app.post(
    '/v1/calculations/map.svg',
    {
      config: { scope: 'read' },
      bodyLimit: BODY_LIMITS.design,
      schema: {
        operationId: 'calculateMap',
        tags: ['calculations'],
        summary: 'A picture of a design that is not stored (SVG)',
        description: WHAT,
        body: CalculationInputSchema,
        response: { 200: SvgSchema, ...problemResponses(404, 409, 413, 415, 422, 500) },
      },
    },
    async (request, reply) => {
      const { design } = await plans.calculateRequest(request.body, teamOf(request));
      return reply.type(SVG).send(await svgMapInSlices(design));
    },
  );
};
