import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { PlanService } from '../../service/plan-service.js';
import { teamOf } from '../auth.js';
import { BODY_LIMITS } from '../body-limits.js';
import { presentBlock, presentCalculation } from '../presenters/design.js';
import { problemResponses } from '../schemas/common.js';
import { CalculationSchema } from '../schemas/plan.js';
import { CalculationInputSchema } from '../schemas/plan-input.js';

/** The quick calculator: everything a plan would answer, nothing stored. */
export const calculationRoutes: FastifyPluginAsyncZod<{ plans: PlanService }> = async (app, { plans }) => {
  app.post(
    '/v1/calculations',
    {
      config: { scope: 'read' },
      bodyLimit: BODY_LIMITS.design,
      schema: {
        tags: ['calculations'],
        operationId: 'calculatePlan',
        summary: 'Plan a design without storing it',
        description:
          'The quick calculator for portals and what-if questions: everything a plan would have (spec with defaults, warnings, capacity, the first 100 node slots) without storing anything. The name is optional. Ranges given as { fromSpace } are shown as they would be allocated; nothing is allocated.',
        body: CalculationInputSchema,
        response: {
          200: CalculationSchema,
          ...problemResponses(404, 409, 413, 415, 422, 500),
        },
      },
    },
    async (request) => {
      const { design, allocations } = await plans.calculateRequest(request.body, teamOf(request));
      return {
        ...presentCalculation(design),
        ...(allocations === undefined ? {} : { allocations: allocations.map(presentBlock) }),
      };
    },
  );
};
