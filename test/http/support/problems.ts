/** Expected RFC 9457 bodies and the checks every error response must pass. */
import type { Response } from 'supertest';
import { expect } from 'vitest';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

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
    title: TITLES[status],
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
