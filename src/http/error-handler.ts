import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.js';
import { StoreBusyError, StoreSlowError, StoreUnavailableError } from '../store/store-unavailable.js';
import { AllowedMethods } from './allowed-methods.js';
import { remainingBodyProblems } from './design-problems.js';
import { API_SECURITY_HEADERS, corsHeadersFor, isDocsPath } from './edge.js';
import type { ErrorCode } from './error-catalogue.js';
import { PROBLEM_CONTENT_TYPE, problemBody, RequestError, sendProblem } from './problem.js';
import { requestProblems } from './request-errors.js';
import { requestIdOf } from './request-log.js';
import { type SecretRedaction, SHAPES_ONLY } from './secret-redaction.js';
import { isZodValidationError } from './zod-validation.js';

/** How long a client waits before retrying while the database is away. */
const DATABASE_RETRY_SECONDS = 5;

/** Fastify's own request errors, by their code. */
const FRAMEWORK_ERRORS: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
};

/** Errors the router raises before any route runs (Fastify's `frameworkErrors`). */
const ROUTER_ERRORS: Record<string, { code: ErrorCode; detail: string }> = {
  FST_ERR_BAD_URL: { code: 'URL_INVALID', detail: 'the path is not valid percent-encoded text' },
  FST_ERR_MAX_PARAM_LENGTH: {
    code: 'URI_TOO_LONG',
    detail: 'a path parameter is longer than 2,048 characters',
  },
};

/**
 * Answers the router's refusals. No hook ran: the router refused the request first, so its id,
 * the security headers and, for a configured browser origin, the CORS headers are set here.
 */
export function routerErrorHandler(corsOrigins: readonly string[] = []) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const known = ROUTER_ERRORS[error.code] ?? { code: 'BAD_REQUEST', detail: error.message };
    reply
      .header('x-request-id', request.id)
      .headers(API_SECURITY_HEADERS)
      .headers(corsHeadersFor(corsOrigins, request.headers.origin));
    return sendProblem(reply, known.code, known.detail, {
      errors: [{ code: known.code, path: 'path', message: known.detail }],
    });
  };
}

/** The API's security headers as raw header lines, for answers written to the socket itself. */
const SECURITY_HEADER_LINES = Object.entries(API_SECURITY_HEADERS)
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join('');

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a header section over the limit,
 * a malformed request line, a timeout) still get a problem+json answer, written on the socket.
 */
export function handleClientError(
  this: FastifyInstance,
  error: Error & { code?: string },
  socket: Duplex,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [code, detail]: [ErrorCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? ['HEADERS_TOO_LARGE', 'the request headers exceed the server limit']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['REQUEST_TIMEOUT', 'the request was not received in time']
        : ['BAD_REQUEST', 'the request is not valid HTTP'];
  const problem = problemBody(code, detail);
  const body = JSON.stringify(problem);
  // Its headers were never read, so it has no id of its own: a new one, logged as every answer's is.
  const reqId = randomUUID();
  this.log.info({ reqId, code, statusCode: problem.status }, 'request refused before it was read');
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${reqId}\r\n${SECURITY_HEADER_LINES}Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * An Expect other than 100-continue, which Node answers 417 with no body before any route
 * runs: the same status, as a problem.
 */
export function unmetExpectationHandler(secrets: SecretRedaction = SHAPES_ONLY) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const expectation = String(request.headers.expect ?? '').slice(0, 64);
    const detail = `Expect ${JSON.stringify(expectation)} cannot be met: only 100-continue is`;
    const problem = problemBody('EXPECTATION_FAILED', secrets.text(detail), {
      instance: secrets.url(request.url ?? ''),
    });
    answerUnmetExpectation(request, response, JSON.stringify(problem));
  };
}

function answerUnmetExpectation(request: IncomingMessage, response: ServerResponse, body: string): void {
  response.writeHead(417, {
    'Content-Type': PROBLEM_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(body),
    'X-Request-Id': requestIdOf(request),
    ...API_SECURITY_HEADERS,
  });
  response.end(body);
}

/** One place turns every error into application/problem+json; 5xx bodies reveal nothing. */
export function registerErrorHandling(
  app: FastifyInstance,
  onDatabaseUnavailable: () => void = () => {},
): void {
  app.setErrorHandler((error: FastifyError, request, reply) =>
    handleError(error, request, reply, onDatabaseUnavailable),
  );
  const allowed = new AllowedMethods();
  app.addHook('onRoute', (route) => allowed.add(route.method, route.url));
  app.setNotFoundHandler((request, reply) => {
    const path = pathOf(request);
    const methods = allowed.of(path);
    if (methods.length === 0) return noRoute(request, reply);
    reply.header('allow', methods.join(', '));
    return sendProblem(
      reply,
      'METHOD_NOT_ALLOWED',
      `${path} does not take ${request.method}: it takes ${methods.join(', ')}`,
    );
  });
}

/**
 * The router matches `/v1/plans/` as `/v1/plans/:id` with an empty id. No resource has an empty
 * name: the path is another path, unknown (404), as the README says of a trailing slash, rather
 * than a 400 about a parameter the client never meant to send.
 */
export function refuseEmptyPathParameters(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (!hasEmptyParameter(request.params as Record<string, string> | undefined)) return done();
    noRoute(request, reply);
  });
}

const pathOf = (request: FastifyRequest) => request.url.split('?')[0] ?? '';

function noRoute(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(reply, 'ROUTE_NOT_FOUND', `no route ${request.method} ${pathOf(request)}`);
}

/** Asked of every request, lookups included: a plain loop, no arrays made. A wildcard may be empty. */
function hasEmptyParameter(params: Record<string, string> | undefined): boolean {
  for (const key in params) if (params[key] === '' && key !== '*') return true;
  return false;
}

function handleError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
  onDatabaseUnavailable: () => void,
) {
  if (isZodValidationError(error)) {
    const context = error.validationContext ?? 'body';
    const problems = [
      ...requestProblems(error.validation, validatedPart(request, context)),
      // A replacement's rest is judged against the plan it replaces (the values it keeps), which
      // this answer does not read: only a new design's rest is planned here.
      ...(context === 'body' && request.method !== 'PUT'
        ? remainingBodyProblems(request.routeOptions.schema?.body, request.body, error.validation)
        : []),
    ];
    if (context === 'headers' && problems.some((p) => p.path === 'if-match' && p.code === 'FIELD_REQUIRED')) {
      const message = 'this change requires If-Match with the ETag of the revision you read';
      return sendProblem(reply, 'IF_MATCH_REQUIRED', message, {
        errors: [{ code: 'IF_MATCH_REQUIRED', path: 'if-match', message }],
      });
    }
    const first = problems[0];
    const detail = first === undefined ? 'invalid request' : `${first.path || context}: ${first.message}`;
    // A body breaks the request's schema (422); a query, path or header cannot be read (400).
    const status = context === 'body' ? 422 : 400;
    return sendProblem(reply, first?.code ?? 'REQUEST_INVALID', detail, { status, errors: problems });
  }
  if (error instanceof DomainError || error instanceof RequestError) {
    return sendProblem(reply, error.code, error.message, { errors: error.problems });
  }
  if (error instanceof StoreUnavailableError) {
    request.log.warn({ err: error }, 'database unavailable');
    onDatabaseUnavailable();
    reply.header('retry-after', String(DATABASE_RETRY_SECONDS));
    const why =
      error instanceof StoreBusyError
        ? 'the database is busy: another process has held its write lock too long'
        : error instanceof StoreSlowError
          ? 'the database did not answer in time, or all its connections stayed busy'
          : 'the database cannot be reached';
    return sendProblem(
      reply,
      'DATABASE_UNAVAILABLE',
      `${why}; retry after ${DATABASE_RETRY_SECONDS} seconds`,
    );
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return unsupportedMediaType(request, reply);
  const known = FRAMEWORK_ERRORS[error.code];
  if (known !== undefined) return sendProblem(reply, known, error.message);
  // The Swagger UI's file server refuses a path that leaves its folder (/docs/static/../x) with
  // 403: no route has that path. A byte range past a file's end is its 416.
  if (isDocsPath(pathOf(request)) && error.statusCode === 403) return noRoute(request, reply);
  if (isDocsPath(pathOf(request)) && error.statusCode === 416) {
    // RFC 9110 15.5.17: the file's length, as "bytes */length", so a client can ask again.
    const { headers } = error as { headers?: Record<string, string> };
    if (headers?.['Content-Range'] !== undefined) reply.header('content-range', headers['Content-Range']);
    return sendProblem(reply, 'RANGE_NOT_SATISFIABLE', 'the byte range asked for is not in the file');
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return sendProblem(reply, 'BAD_REQUEST', error.message, { status: error.statusCode });
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, 'INTERNAL_ERROR', 'an unexpected error occurred; it has been logged');
}

/** A body of a type the route does not read: which header, and what the route takes instead. */
function unsupportedMediaType(request: FastifyRequest, reply: FastifyReply) {
  const given = request.headers['content-type'];
  const accepted = (request.routeOptions.config.bodyTypes ?? ['application/json']).join(', ');
  const message =
    given === undefined
      ? `a body needs a Content-Type: ${accepted}`
      : `Content-Type ${JSON.stringify(given.slice(0, 64))} is not accepted here: send ${accepted}`;
  return sendProblem(reply, 'UNSUPPORTED_MEDIA_TYPE', message, {
    errors: [{ code: 'UNSUPPORTED_MEDIA_TYPE', path: 'content-type', message }],
  });
}

/** The part of the request a schema validated. */
function validatedPart(request: FastifyRequest, context: string): unknown {
  if (context === 'querystring') return request.query;
  if (context === 'params') return request.params;
  if (context === 'headers') return request.headers;
  return request.body;
}
