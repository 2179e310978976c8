import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DomainError, type Problem } from '../../domain/errors.js';
import { metricDifferences, summarize } from '../../domain/plan/comparison.js';
import { mergePatch } from '../../domain/plan/merge-patch.js';
import { diffSpecs } from '../../domain/plan/spec-diff.js';
import { requireConcreteRanges } from '../../domain/space/space-refs.js';
import type { PlannerService } from '../../service/planner-service.js';
import { presentDifference, presentSummary } from '../presenters/comparison.js';
import { zodProblems } from '../request-errors.js';
import { ProblemSchema } from '../schemas/common.js';
import { ComparisonRequestSchema, ComparisonSchema } from '../schemas/comparison.js';
import { CalculationInputSchema } from '../schemas/plan-input.js';

/** Side-by-side what-if: a base design and up to 10 variants, each a merge patch over it. */
export const comparisonRoutes: FastifyPluginAsyncZod<{ planner: PlannerService }> = async (
  app,
  { planner },
) => {
  app.post(
    '/v1/comparisons',
    {
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
      assertUniqueNames(variants.map((v) => v.name));
      // An unnamed base is named as a calculation is; a variant keeps the base's name.
      const baseDesign = planner.calculate(requireConcreteRanges(base, 'a comparison'));
      const baseSummary = summarize(baseDesign);
      return {
        base: presentSummary(baseSummary),
        variants: variants.map(({ name, changes }) => {
          const outcome = planVariant(planner, mergePatch(base, changes));
          if ('problems' in outcome) return { name, valid: false, problems: outcome.problems };
          const summary = summarize(outcome.design);
          return {
            name,
            valid: true,
            summary: presentSummary(summary),
            specChanges: diffSpecs(baseDesign.spec, outcome.design.spec),
            differences: metricDifferences(baseSummary, summary).map(presentDifference),
          };
        }),
      };
    },
  );
};

function planVariant(planner: PlannerService, merged: unknown) {
  const parsed = CalculationInputSchema.safeParse(merged);
  if (!parsed.success) return { problems: zodProblems(parsed.error.issues) };
  try {
    return { design: planner.calculate(requireConcreteRanges(parsed.data, 'a comparison')) };
  } catch (error) {
    if (error instanceof DomainError) return { problems: [...error.problems] as Problem[] };
    throw error;
  }
}

function assertUniqueNames(names: string[]): void {
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) {
    throw DomainError.invalid(
      'VARIANT_NAME_DUPLICATE',
      'variants',
      `variant name "${duplicate}" is used more than once`,
    );
  }
}
