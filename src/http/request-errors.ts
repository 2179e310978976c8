import type { FastifySchemaValidationError } from 'fastify';
import type { FieldProblem, HttpErrorCode } from './error-catalogue.js';

interface ZodIssueParams {
  keys?: string[];
  expected?: string;
}

/** "/nodePools/0/maxPods" -> "nodePools[0].maxPods", the path style of every error body. */
export function toFieldPath(instancePath: string): string {
  const segments = instancePath.split('/').filter((s) => s !== '');
  const path = segments.reduce(
    (acc, segment) =>
      /^\d+$/.test(segment) ? `${acc}[${segment}]` : acc === '' ? segment : `${acc}.${segment}`,
    '',
  );
  return path;
}

/**
 * Turns the schema validator's issues into problems with a code and a field path each.
 * `input` is what was validated: a value of the wrong type is told from a missing one by
 * looking at it, not by the validator's wording.
 */
export function requestProblems(
  issues: readonly FastifySchemaValidationError[],
  input: unknown,
): FieldProblem[] {
  return issues.flatMap((issue) => {
    const path = toFieldPath(issue.instancePath);
    const params = issue.params as ZodIssueParams;
    if (issue.keyword === 'unrecognized_keys' && params.keys !== undefined) {
      return params.keys.map((key) => ({
        code: 'UNKNOWN_FIELD',
        path: path === '' ? key : `${path}.${key}`,
        message: `unknown field "${key}"`,
      }));
    }
    return [{ code: codeFor(issue, input), path, message: issue.message ?? 'invalid value' }];
  });
}

function codeFor(issue: FastifySchemaValidationError, input: unknown): HttpErrorCode {
  switch (issue.keyword) {
    case 'invalid_type':
      return isMissing(input, issue.instancePath) ? 'FIELD_REQUIRED' : 'INVALID_TYPE';
    case 'too_small':
    case 'too_big':
      return 'VALUE_OUT_OF_RANGE';
    case 'invalid_format':
      return 'INVALID_FORMAT';
    default:
      return 'INVALID_VALUE';
  }
}

/** True when the value at `instancePath` is absent (or undefined) in an object that is there. */
function isMissing(input: unknown, instancePath: string): boolean {
  const segments = instancePath.split('/').filter((s) => s !== '');
  const key = segments.pop();
  if (key === undefined) return input === undefined;
  let parent = input;
  for (const segment of segments) {
    if (typeof parent !== 'object' || parent === null) return false;
    parent = (parent as Record<string, unknown>)[segment];
  }
  return (
    typeof parent === 'object' && parent !== null && (parent as Record<string, unknown>)[key] === undefined
  );
}

interface ZodIssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly keys?: readonly string[];
}

/** Problems from zod issues of `input` parsed outside a route schema (comparison variants). */
export function zodProblems(issues: readonly ZodIssueLike[], input: unknown): FieldProblem[] {
  return requestProblems(
    issues.map((issue) => ({
      keyword: issue.code,
      instancePath: `/${issue.path.map(String).join('/')}`,
      schemaPath: '',
      params: { keys: issue.keys },
      message: issue.message,
    })),
    input,
  );
}
