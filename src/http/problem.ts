import type { FastifyReply } from 'fastify';
import type { Problem } from '../domain/errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An RFC 9457 body whose `type` names the code, e.g. /problems/cidr-host-bits-set. */
export function problemBody(
  status: number,
  code: string,
  detail: string,
  instance?: string,
  errors?: readonly Problem[],
) {
  return {
    type: `/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(instance === undefined ? {} : { instance }),
    ...(errors === undefined || errors.length === 0
      ? {}
      : { errors: errors.map(({ path, message, code }) => ({ path, message, code })) }),
  };
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  errors?: readonly Problem[],
): FastifyReply {
  const body = problemBody(status, code, detail, reply.request.url, errors);
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(body);
}
