import { createServer, type RequestListener } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from './problem.js';

/** How long the server waits, in milliseconds. */
export interface Timeouts {
  /** A whole request, received and answered; not for streamed lookups, which may run for hours. */
  readonly requestMs: number;
  /**
   * A connection with nothing moving on it: what bounds a stream that stalls, and a client that
   * stops reading an answer. A request that is not streamed is bounded by requestMs instead.
   */
  readonly idleMs: number;
  /** An idle kept-alive connection between two requests. */
  readonly keepAliveMs: number;
  /** The request line and headers (a slow-headers client is cut off by Node). */
  readonly headersMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  requestMs: 30_000,
  idleMs: 10_000,
  keepAliveMs: 5_000,
  headersMs: 10_000,
};

/** Requests cut off for taking too long, since the process started. */
export const timedOut = { requests: 0 };

/**
 * Fastify's server options: idle and keep-alive timeouts, and an HTTP server that checks header
 * deadlines often enough for short ones (Node checks every 30 s by default). Node's own
 * requestTimeout would cut a long stream, so the hook below bounds the other requests instead.
 */
export function serverTimeouts(timeouts: Timeouts) {
  return {
    serverFactory: (handler: RequestListener) => {
      const server = createServer(
        {
          headersTimeout: timeouts.headersMs,
          requestTimeout: 0,
          keepAliveTimeout: timeouts.keepAliveMs,
          connectionsCheckingInterval: Math.max(100, Math.min(timeouts.headersMs / 4, 5_000)),
          // A header sent twice is joined (a, b) rather than the second dropped unseen: two
          // Authorization headers are then no token, two Content-Types no media type.
          joinDuplicateHeaders: true,
          // Node answers a missing Host with an empty 400; refuseUnreadableRequests answers a problem.
          requireHostHeader: false,
        },
        handler,
      );
      // Idle sockets close; a stream that keeps moving never is idle.
      server.setTimeout(timeouts.idleMs);
      return server;
    },
  };
}

/**
 * Cuts off a request that is not answered within requestMs: a client trickling its body, or a
 * request stuck behind a lock. It is answered 408 REQUEST_TIMEOUT and its connection closed.
 * Routes that stream (config.streams, with a streamed media type) are bounded by idleMs instead.
 */
export function registerTimeouts(
  app: FastifyInstance,
  timeouts: Timeouts,
  streamed: (request: FastifyRequest) => boolean,
): void {
  // One sweep over the requests in flight instead of a timer per request: cheaper on the hot path.
  const deadlines = new Map<FastifyRequest, { reply: FastifyReply; at: number }>();
  const sweep = setInterval(
    () => {
      const now = performance.now();
      for (const [request, { reply, at }] of deadlines) {
        if (at > now) continue;
        deadlines.delete(request);
        cutOff(request, reply);
      }
    },
    Math.max(10, Math.min(1000, timeouts.requestMs / 4)),
  );
  sweep.unref();
  // Hooks on every request take a callback: an async hook costs a promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    if (!streamed(request)) {
      deadlines.set(request, { reply, at: performance.now() + timeouts.requestMs });
      // While a request is received and worked on, its socket may rest longer than idleMs (a
      // large import waiting for the write lock): the deadline above bounds it, with a 408.
      idleAfter(request, timeouts.requestMs + timeouts.idleMs);
    }
    done();
  });
  // The answer is idle-bound again: a client that stops reading it is cut off after idleMs.
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (!streamed(request)) idleAfter(request, timeouts.idleMs);
    done(null, payload);
  });
  app.addHook('onResponse', (request, _reply, done) => {
    deadlines.delete(request);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    deadlines.delete(request);
    done();
  });
  app.addHook('onClose', async () => clearInterval(sweep));
}

/** Closes the request's connection once nothing has moved on it for `ms` (injected requests have no socket). */
function idleAfter(request: FastifyRequest, ms: number): void {
  const { socket } = request.raw;
  if (typeof socket?.setTimeout === 'function') socket.setTimeout(ms);
}

function cutOff(request: FastifyRequest, reply: FastifyReply): void {
  if (reply.sent || reply.raw.headersSent) return;
  timedOut.requests++;
  request.log.warn({ url: request.url }, 'request timed out');
  reply.raw.once('finish', () => request.raw.socket?.destroy());
  reply.header('connection', 'close');
  sendProblem(reply, 'REQUEST_TIMEOUT', 'the request was not received and answered in time');
}
