import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ComparisonService, ShapeCheck } from '../../service/comparison-service.js';
import { BODY_LIMITS } from '../body-limits.js';
import { presentDifference, presentSummary } from '../presenters/comparison.js';
import { zodProblems } from '../request-errors.js';
import { ProblemSchema } from '../schemas/common.js';
import { ComparisonRequestSchema, ComparisonSchema } from '../schemas/comparison.js';
import { CalculationInputSchema } from '../schemas/plan-input.js';

/** Side-by-side what-if: a base design and up to 10 variants, each a merge patch over it. */
export const comparisonRoutes: FastifyPluginAsyncZod<{ comparisons: ComparisonService }> = async (
  app,
  { comparisons },
) => {
  app.post(
    '/v1/comparisons',
    {
      config: { scope: 'read' },
      bodyLimit: BODY_LIMITS.design,
      schema: {
        tags: ['calculations'],
        operationId: 'compareDesigns',
        summary: 'Compare design variants side by side',
        description:
          'Plans the base and every variant (the base with a JSON merge patch applied) without storing anything. An invalid base is a 422; an invalid variant comes back with its problems and the others are still answered.',
        body: ComparisonRequestSchema,
        response: { 200: ComparisonSchema, 422: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request) => {
      const { base, variants } = request.body;
      const compared = await comparisons.compare(base, variants, checkShape);
      return {
        base: presentSummary(compared.base),
        variants: compared.variants.map((v) =>
          v.valid
            ? {
                name: v.name,
                valid: true,
                summary: presentSummary(v.summary),
                specChanges: [...v.specChanges],
                differences: v.differences.map(presentDifference),
              }
            : { name: v.name, valid: false, problems: [...v.problems] },
        ),
      };
    },
  );
};

/** A merged variant checked against the calculation body's schema. */
function checkShape(merged: unknown): ShapeCheck {
  const parsed = CalculationInputSchema.safeParse(merged);
  return parsed.success ? { input: parsed.data } : { problems: zodProblems(parsed.error.issues, merged) };
}
