/** Expected RFC 9457 bodies and the checks every error response must pass. */
import type { Response } from 'supertest';
import { expect } from 'vitest';
import { catalogueEntry, type ErrorCode } from '../../../src/http/error-catalogue.js';

export interface FieldProblem {
  path: string;
  message: unknown;
  code: string;
}

/** The whole problem body: `type` is /problems/ plus the code in kebab case. */
export function problem(
  status: number,
  code: string,
  detail: unknown,
  instance: string,
  errors?: FieldProblem[],
) {
  return {
    type: `/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: catalogueEntry(code as ErrorCode).title,
    status,
    detail,
    code,
    instance,
    ...(errors === undefined ? {} : { errors }),
  };
}

/** Status, problem+json content type, and the whole body. */
export function expectProblem(res: Response, expected: ReturnType<typeof problem>): void {
  expect(res.status).toBe(expected.status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual(expected);
}

/** The problem a taken name answers with, at `name`. */
export function taken(code: string, which: string): FieldProblem {
  return { code, path: 'name', message: `${which} already exists; names are unique across every team` };
}
