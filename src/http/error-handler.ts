import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError } from '../domain/errors.js';
import { PROBLEM_CONTENT_TYPE, problemBody, sendProblem } from './problem.js';
import { requestProblems } from './request-errors.js';
import { statusForCode } from './status-codes.js';

/** Fastify's own request errors, by their code. */
const FRAMEWORK_ERRORS: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'MALFORMED_JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'MALFORMED_JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'BODY_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'BAD_REQUEST' },
};

/** Errors the router raises before any route runs (Fastify's `frameworkErrors`). */
const ROUTER_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_BAD_URL: { status: 400, code: 'URL_INVALID', detail: 'the path is not valid percent-encoded text' },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'URI_TOO_LONG',
    detail: 'a path parameter is longer than 2,048 characters',
  },
};

export function handleRouterError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const known = ROUTER_ERRORS[error.code] ?? { status: 400, code: 'BAD_REQUEST', detail: error.message };
  return sendProblem(reply, known.status, known.code, known.detail);
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a header section over the limit,
 * a malformed request line, a timeout) still get a problem+json answer, written on the socket.
 */
export function handleClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'the request headers exceed the server limit']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'the request was not received in time']
        : [400, 'BAD_REQUEST', 'the request is not valid HTTP'];
  const body = JSON.stringify(problemBody(status, code, detail));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${problemBody(status, code, detail).title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** One place turns every error into application/problem+json; 5xx bodies reveal nothing. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => handleError(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, 404, 'ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
  );
}

function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = error.validationContext ?? 'body';
    const problems = requestProblems(error.validation);
    const status = context === 'body' ? 422 : 400;
    const first = problems[0];
    const detail = first === undefined ? 'invalid request' : `${first.path || context}: ${first.message}`;
    return sendProblem(reply, status, first?.code ?? 'REQUEST_INVALID', detail, problems);
  }
  if (error instanceof DomainError) {
    return sendProblem(reply, statusForCode(error.code), error.code, error.message, error.problems);
  }
  const known = FRAMEWORK_ERRORS[error.code];
  if (known !== undefined) return sendProblem(reply, known.status, known.code, error.message);
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return sendProblem(reply, error.statusCode, 'BAD_REQUEST', error.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, 500, 'INTERNAL_ERROR', 'an unexpected error occurred; it has been logged');
}
