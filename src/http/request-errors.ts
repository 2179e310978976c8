import type { z } from 'zod';
import { childPath, fieldPath } from '../domain/field-path.js';
import type { FieldProblem, HttpErrorCode } from './error-catalogue.js';
import { validationIssues, type ZodValidationIssue } from './zod-validation.js';

interface ZodIssueParams {
  keys?: string[];
  expected?: string;
}

/**
 * Turns the schema validator's issues into problems with a code and a field path each.
 * `input` is what was validated: a value of the wrong type is told from a missing one by
 * looking at it, not by the validator's wording.
 */
export function requestProblems(issues: readonly ZodValidationIssue[], input: unknown): FieldProblem[] {
  return issues.flatMap((issue) => {
    const path = fieldPath(issue.path);
    const params = issue.params as ZodIssueParams;
    if (issue.keyword === 'unrecognized_keys' && params.keys !== undefined) {
      return params.keys.map((key) => ({
        code: 'UNKNOWN_FIELD',
        path: childPath(path, key),
        message: `unknown field "${key}"`,
      }));
    }
    return [{ code: codeFor(issue, input), path, message: issue.message ?? 'invalid value' }];
  });
}

function codeFor(issue: ZodValidationIssue, input: unknown): HttpErrorCode {
  switch (issue.keyword) {
    case 'invalid_type':
      return isMissing(input, issue.path) ? 'FIELD_REQUIRED' : 'INVALID_TYPE';
    case 'too_small':
    case 'too_big':
      return 'VALUE_OUT_OF_RANGE';
    case 'invalid_format':
      return 'INVALID_FORMAT';
    default:
      return 'INVALID_VALUE';
  }
}

/** True when the value at `path` is absent (or undefined) in an object that is there. */
function isMissing(input: unknown, path: readonly PropertyKey[]): boolean {
  const segments = path.map(String);
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

/** Problems from zod issues of `input` parsed outside a route schema (comparison variants). */
export function zodProblems(issues: readonly z.core.$ZodIssue[], input: unknown): FieldProblem[] {
  return requestProblems(validationIssues(issues), input);
}
