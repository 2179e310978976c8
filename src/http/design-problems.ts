import type { z } from 'zod';
import type { PlanInput } from '../domain/design/spec.js';
import { DomainError, type Problem } from '../domain/errors.js';
import { fieldPath } from '../domain/field-path.js';
import { planDesign } from '../domain/plan/planner.js';
import { findSpaceRefs } from '../domain/space/space-refs.js';
import { parseAddresses } from './lookup-input.js';
import { BatchLookupSchema } from './schemas/lookup.js';
import { CalculationInputSchema, PlanRequestSchema } from './schemas/plan-input.js';
import type { ZodValidationIssue } from './zod-validation.js';

/**
 * What else is wrong with a body its schema refused, for the bodies where more can be said: a
 * design (the rules its other fields break) and a batch lookup (its other bad addresses).
 */
export function remainingBodyProblems(
  schema: unknown,
  body: unknown,
  issues: readonly ZodValidationIssue[],
): Problem[] {
  if (schema === PlanRequestSchema) return remainingDesignProblems(body, issues, PlanRequestSchema);
  if (schema === CalculationInputSchema) return remainingDesignProblems(body, issues, CalculationInputSchema);
  if (schema === BatchLookupSchema) return remainingAddressProblems(body, issues);
  return [];
}

/**
 * The design rules' problems of a design body the schema refused, so that one answer lists
 * every problem, as api.md asks: the fields the schema refused are left out and the rest is
 * planned. None when the rest is no design either (a required field other than the name, or a
 * whole list item, was refused), or takes ranges from spaces (only the store can allocate them). Problems at or under
 * a refused field are the schema's to report.
 */
export function remainingDesignProblems(
  body: unknown,
  issues: readonly ZodValidationIssue[],
  schema: z.ZodType,
): Problem[] {
  if (typeof body !== 'object' || body === null) return [];
  const rest = structuredClone(body) as Record<string, unknown>;
  const refused = issues.flatMap((issue) => {
    const keys = (issue.params as { keys?: string[] }).keys;
    return issue.keyword === 'unrecognized_keys' && keys !== undefined
      ? keys.map((key) => [...issue.path, key])
      : [issue.path];
  });
  // A refused field that decides which rules apply (the plugin, say) would be planned as its
  // default, and the rest judged by rules the client did not choose.
  if (refused.some((path) => SELECTORS.has(path.at(-1)))) return [];
  if (!refused.every((path) => removed(rest, path))) return [];
  // A plan's name is required, but no other rule reads it: a stand-in lets the rest be planned.
  rest.name ??= NAME_STAND_IN;
  const parsed = schema.safeParse(rest);
  if (!parsed.success) return [];
  const input = parsed.data as PlanInput;
  if (findSpaceRefs(input).length > 0) return [];
  try {
    planDesign(input);
    return [];
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const paths = refused.map((path) => fieldPath(path));
    return error.problems.filter((p) => !paths.some((path) => within(p.path, path)));
  }
}

/** The name a design is planned under when its own is missing or refused (a calculation's). */
const NAME_STAND_IN = 'calculation';

/** Fields whose value chooses the rules for others: a design is not planned without them. */
const SELECTORS: ReadonlySet<PropertyKey | undefined> = new Set([
  'plugin',
  'podIpAllocation',
  'ipFamilies',
  'dataplane',
  'type',
  'osType',
  'mode',
  'network',
  'outbound',
  'nodePools',
]);

/** Removes the field at `path`; false for what cannot go without changing the rest (a list item). */
function removed(body: Record<string, unknown>, path: readonly PropertyKey[]): boolean {
  const key = path.at(-1);
  if (key === undefined || typeof key === 'number') return false;
  let parent: unknown = body;
  for (const segment of path.slice(0, -1)) {
    if (typeof parent !== 'object' || parent === null) return false;
    parent = (parent as Record<PropertyKey, unknown>)[segment];
  }
  if (typeof parent !== 'object' || parent === null || Array.isArray(parent)) return false;
  delete (parent as Record<PropertyKey, unknown>)[key];
  return true;
}

function within(path: string, field: string): boolean {
  return path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
}

/**
 * The addresses of a batch lookup body that do not parse, besides the items the schema refused
 * (a number among strings): one answer names every bad address at its index.
 */
export function remainingAddressProblems(body: unknown, issues: readonly ZodValidationIssue[]): Problem[] {
  const ips = (body as { ips?: unknown } | null)?.ips;
  if (!Array.isArray(ips) || ips.length > MAX_ADDRESSES_CHECKED) return [];
  const refused = new Set(issues.filter((i) => i.path[0] === 'ips').map((i) => i.path[1]));
  const texts = ips.flatMap((ip, i) => (typeof ip === 'string' && !refused.has(i) ? [{ ip, i }] : []));
  const parsed = parseAddresses(
    texts.map((t) => t.ip),
    (k) => `ips[${texts[k]?.i}]`,
  );
  return 'problems' in parsed ? parsed.problems : [];
}

/** A batch past this is refused for its length alone: its addresses are not read. */
const MAX_ADDRESSES_CHECKED = 10_000;
