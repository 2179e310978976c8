import type { FastifyInstance } from 'fastify';
import { sendProblem } from './problem.js';

/**
 * Once the service is closing, a request arriving on a connection still open is told so with a
 * problem (503 SHUTTING_DOWN, Connection: close) that a load balancer retries on another
 * replica, rather than Fastify's own plain 503.
 */
export function registerClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    // A connection whose request is still in flight goes idle once it is answered: with the
    // shortest keep-alive it closes then, rather than holding the shutdown for KEEP_ALIVE_TIMEOUT_MS.
    app.server.keepAliveTimeout = 1;
  });
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    reply.header('connection', 'close').header('retry-after', '1');
    sendProblem(reply, 'SHUTTING_DOWN', 'this replica is shutting down; retry, another replica will answer');
  });
}
