import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SHAPES_ONLY } from './secret-redaction.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's X-Request-Id when it is a plain token, else a new one: logs and answers carry it. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Probes and the Swagger UI's files are polled or fetched in bursts: they log at debug. */
const QUIET = /^\/(healthz|readyz|docs)(\/|$|\?)/;

const problemCodes = new WeakMap<FastifyReply, string>();

/** Remembers the problem code an answer carries, for the request's log line. */
export function noteProblem(reply: FastifyReply, code: string): void {
  problemCodes.set(reply, code);
}

/**
 * One log line per request, when it is answered, with its request id (Fastify's child logger
 * adds it to every line), the status, the time taken and the problem code of an error. Every
 * answer echoes X-Request-Id: register before any hook that may answer, as the id is set as
 * the request arrives (an onSend hook for it would cost every answer a pass through Fastify's
 * payload hooks).
 */
export function registerRequestLog(app: FastifyInstance): void {
  // Callbacks, not async hooks: these run on every request, and a promise each costs.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    logAnswer(request, reply);
    done();
  });
}

function logAnswer(request: FastifyRequest, reply: FastifyReply): void {
  // Nothing to build when the line would not be written (no logger, or a quieter level).
  const level = QUIET.test(request.url) ? 'debug' : failed(reply) ? 'error' : 'info';
  if (!enabled(request.log.level, level)) return;
  const line = {
    method: request.method,
    url: (request.server.secrets ?? SHAPES_ONLY).url(request.url),
    status: reply.statusCode,
    ms: Math.round(reply.elapsedTime * 10) / 10,
    ...(problemCodes.has(reply) ? { problem: problemCodes.get(reply) } : {}),
  };
  request.log[level](line, 'request');
}

/**
 * A 5xx is the service failing, logged as an error; a replica shutting down answers 503 as
 * planned (a load balancer retries elsewhere), and every rollout would log errors otherwise.
 */
function failed(reply: FastifyReply): boolean {
  return reply.statusCode >= 500 && problemCodes.get(reply) !== 'SHUTTING_DOWN';
}

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/** Whether a logger at `level` writes lines at `wanted` (the silent logger writes none). */
function enabled(level: string | undefined, wanted: string): boolean {
  const at = LEVELS[level ?? ''];
  return at !== undefined && at <= (LEVELS[wanted] ?? 0);
}
