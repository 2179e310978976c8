import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';

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
 * answer echoes X-Request-Id.
 */
export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const line = {
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ...(problemCodes.has(reply) ? { problem: problemCodes.get(reply) } : {}),
    };
    if (QUIET.test(request.url)) request.log.debug(line, 'request');
    else if (reply.statusCode >= 500) request.log.error(line, 'request');
    else request.log.info(line, 'request');
  });
}
