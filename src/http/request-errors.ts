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

/** Turns the schema validator's issues into problems with a code and a field path each. */
export function requestProblems(issues: readonly FastifySchemaValidationError[]): FieldProblem[] {
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
    return [{ code: codeFor(issue), path, message: issue.message ?? 'invalid value' }];
  });
}

function codeFor(issue: FastifySchemaValidationError): HttpErrorCode {
  switch (issue.keyword) {
    case 'invalid_type':
      return issue.message?.endsWith('received undefined') ? 'FIELD_REQUIRED' : 'INVALID_TYPE';
    case 'too_small':
    case 'too_big':
      return 'VALUE_OUT_OF_RANGE';
    case 'invalid_format':
      return 'INVALID_FORMAT';
    default:
      return 'INVALID_VALUE';
  }
}

interface ZodIssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly keys?: readonly string[];
}

/** Problems from zod issues parsed outside a route schema (comparison variants). */
export function zodProblems(issues: readonly ZodIssueLike[]): FieldProblem[] {
  return requestProblems(
    issues.map((issue) => ({
      keyword: issue.code,
      instancePath: `/${issue.path.map(String).join('/')}`,
      schemaPath: '',
      params: { keys: issue.keys },
      message: issue.message,
    })),
  );
}
