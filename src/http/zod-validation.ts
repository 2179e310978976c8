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
  return issues.map((issue) => {
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

/** Whether an error is a failed validation of this validator. */
export function isZodValidationError(
  error: unknown,
): error is Error & { validation: ZodValidationIssue[]; validationContext?: string } {
  const validation = (error as { validation?: unknown } | null)?.validation;
  return (
    Array.isArray(validation) && validation.length > 0 && (validation[0] as ZodValidationIssue)[MARK] === true
  );
}
