import type { FastifyReply } from 'fastify';
import type { Problem } from '../domain/errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Sends an RFC 9457 body whose `type` names the code, e.g. /problems/cidr-host-bits-set. */
export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  errors?: readonly Problem[],
): FastifyReply {
  const body = {
    type: `/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    instance: reply.request.url,
    ...(errors === undefined || errors.length === 0
      ? {}
      : { errors: errors.map(({ path, message, code }) => ({ path, message, code })) }),
  };
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(body);
}
