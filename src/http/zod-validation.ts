import type { FastifySchemaValidationError } from 'fastify';
import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js';
import type { z } from 'zod';

const MARK = Symbol('zod validation issue');

/** A schema validator's issue that keeps zod's path as segments (an index is a number). */
export interface ZodValidationIssue extends FastifySchemaValidationError {
  readonly [MARK]: true;
  readonly path: readonly PropertyKey[];
}

/**
 * Zod validation for routes, as fastify-type-provider-zod's, with one difference: each issue
 * keeps its path as segments. The library's JSON-pointer-like text joins them with "/", which
 * loses a label key holding "/" or "." and an object key that is a number.
 */
export function zodValidatorCompiler({ schema }: FastifyRouteSchemaDef<z.ZodType>) {
  return (data: unknown) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    return { error: validationIssues(result.error.issues) };
  };
}

export function validationIssues(issues: readonly z.core.$ZodIssue[]): ZodValidationIssue[] {
  return issues.flatMap(unionResolved).map((issue) => {
    const { path, code, message, ...params } = issue;
    return {
      [MARK]: true,
      path,
      keyword: code,
      instancePath: `/${path.map(String).join('/')}`,
      schemaPath: '',
      message,
      params,
    };
  });
}

type Issue = z.core.$ZodIssue;

/**
 * A value that fits no option of a union ("Invalid input" from zod). When it has the type of
 * exactly one option, that option's issues are the ones to report, at their own paths (a bad
 * field of the object form of `{ fromSpace }`); when it has the type of none, one issue says
 * which types would do (`maxSurge: true`: a number or a string).
 */
function unionResolved(issue: Issue): Issue[] {
  // A union with a message of its own says it better than its options would.
  if (issue.code !== 'invalid_union' || issue.errors.length === 0 || issue.message !== 'Invalid input')
    return [issue];
  const wrongType = (errors: Issue[]) =>
    errors.length === 1 && errors[0]?.code === 'invalid_type' && errors[0].path.length === 0;
  const fitting = issue.errors.filter((errors) => !wrongType(errors));
  const [only] = fitting;
  if (fitting.length === 1 && only !== undefined)
    return only.flatMap((e) => unionResolved({ ...e, path: [...issue.path, ...e.path] } as Issue));
  if (fitting.length > 0) return [issue];
  const expected = [...new Set(issue.errors.map((errors) => (errors[0] as { expected?: string }).expected))];
  const received = /received (\w+)$/.exec(issue.errors[0]?.[0]?.message ?? '')?.[1];
  const message = `Invalid input: expected ${expected.join(' or ')}${received === undefined ? '' : `, received ${received}`}`;
  return [{ code: 'invalid_type', expected: expected.join(' or '), path: issue.path, message } as Issue];
}

/** Whether an error is a failed validation of this validator. */
export function isZodValidationError(
  error: unknown,
): error is Error & { validation: ZodValidationIssue[]; validationContext?: string } {
  const validation = (error as { validation?: unknown } | null)?.validation;
  return (
    Array.isArray(validation) && validation.length > 0 && (validation[0] as ZodValidationIssue)[MARK] === true
  );
}
