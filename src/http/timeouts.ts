import { createServer, type RequestListener } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasBody } from './json-body.js';
import { sendProblem } from './problem.js';
import { SHAPES_ONLY } from './secret-redaction.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Received and counted in its connection's work, not yet answered (see WorkOnSockets). */
    workingOnSocket: boolean;
  }
}

/** How long the server waits, in milliseconds. */
export interface Timeouts {
  /**
   * Receiving a request, headers and body; not for streamed lookups, which may run for hours.
   * With idleMs, the backstop of a connection whose work hangs.
   */
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
  // Headers are part of the request: a request timeout shorter than the headers' bounds them too.
  const headersMs = Math.min(timeouts.headersMs, timeouts.requestMs);
  return {
    serverFactory: (handler: RequestListener) => {
      const server = createServer(
        {
          headersTimeout: headersMs,
          requestTimeout: 0,
          keepAliveTimeout: timeouts.keepAliveMs,
          connectionsCheckingInterval: Math.max(100, Math.min(headersMs / 4, 5_000)),
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
 * Cuts off a client that does not send its request (headers and body) within requestMs, a
 * client trickling its body: it is answered 408 REQUEST_TIMEOUT and its connection closed.
 * Routes that stream (a streamed lookup) are bounded by idleMs instead.
 *
 * Once a request is received, the service's own work is not cut off with a 408: a write could
 * still commit after the client was told it timed out. That work is bounded where it waits (the
 * database's busy and statement timeouts answer 503; long work pauses in slices), and nothing
 * moves on the socket meanwhile: an idle timeout then keeps the connection until the work has
 * run requestMs + idleMs, a backstop (see WorkOnSockets). Once the answer starts, the connection
 * is idle-bound again, so a client that stops reading it is cut off after idleMs.
 */
export function registerTimeouts(
  app: FastifyInstance,
  timeouts: Timeouts,
  streamed: (request: FastifyRequest) => boolean,
): void {
  // One sweep over the requests being received instead of a timer per request: cheaper on the hot path.
  const deadlines = new Map<FastifyRequest, { reply: FastifyReply; at: number }>();
  const sweep = setInterval(
    () => {
      const now = performance.now();
      for (const [request, { reply, at }] of deadlines) {
        if (at > now) continue;
        deadlines.delete(request);
        cutOff(request, reply, 'the request was not received in time');
      }
    },
    Math.max(10, Math.min(1000, timeouts.requestMs / 4)),
  );
  sweep.unref();
  // A flag on the request, not a set of requests: a request's first use as a key costs a hash.
  app.decorateRequest('workingOnSocket', false);
  const work = new WorkOnSockets(timeouts);
  // A body that stops arriving for idleMs is answered 408 too, as one that arrives too slowly is,
  // rather than its connection closed unanswered. Timeouts are rare and the requests still being
  // received few: they are searched then, so that no request pays for it or is kept by it.
  app.server.on('timeout', (socket: Socket) => {
    for (const [request, { reply }] of deadlines) {
      if (request.raw.socket !== socket || reply.sent || reply.raw.headersSent) continue;
      deadlines.delete(request);
      return cutOff(request, reply, `no more of the request arrived for ${timeouts.idleMs} ms`);
    }
    work.idle(socket);
  });
  // A body read to its end before any answer: the work begins. A body Node discards after the
  // answer (a 415, a GET with a body) ends later, and the request is no work then.
  const received = (request: FastifyRequest) => {
    if (deadlines.delete(request)) work.started(request);
  };
  // Hooks on every request take a callback: an async hook costs a promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    if (streamed(request)) return done();
    // A request without a body has been received whole: it has no deadline to keep.
    if (hasBody(request.headers))
      deadlines.set(request, { reply, at: performance.now() + timeouts.requestMs });
    else work.started(request);
    done();
  });
  app.addHook('preParsing', (request, _reply, payload, done) => {
    if (deadlines.has(request)) payload.once('end', () => received(request));
    done(null, payload);
  });
  app.addHook('onSend', (request, _reply, payload, done) => {
    deadlines.delete(request);
    work.answered(request);
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

/**
 * The requests each connection has received and not yet answered (HTTP/1.1 clients may pipeline
 * several). A connection's idle timer stays idleMs throughout: when it runs out while work on the
 * connection is under way (nothing moves on a socket while its answer is prepared), the
 * connection is kept and looked at again after another idleMs, until the work has run past the
 * backstop (requestMs + idleMs from when the connection's work began); then, or when no work is
 * under way, it is ended as Node would end it. Setting the socket's timeout twice a request
 * instead (the backstop, then idleMs again) cost about 2 µs of every request.
 */
class WorkOnSockets {
  private readonly work = new WeakMap<Socket, { requests: number; since: number }>();

  constructor(private readonly timeouts: Timeouts) {}

  started(request: FastifyRequest): void {
    const socket = socketOf(request);
    if (socket === undefined || request.workingOnSocket) return;
    request.workingOnSocket = true;
    const work = this.work.get(socket);
    if (work === undefined) this.work.set(socket, { requests: 1, since: performance.now() });
    else {
      if (work.requests === 0) work.since = performance.now();
      work.requests++;
    }
  }

  answered(request: FastifyRequest): void {
    const socket = socketOf(request);
    if (socket === undefined || !request.workingOnSocket) return;
    request.workingOnSocket = false;
    const work = this.work.get(socket);
    if (work !== undefined) work.requests--;
  }

  /** The server's `timeout` listener: with one, Node leaves ending the idle socket to it. */
  idle(socket: Socket): void {
    const work = this.work.get(socket);
    const { requestMs, idleMs } = this.timeouts;
    if (work !== undefined && work.requests > 0 && performance.now() - work.since < requestMs + idleMs) {
      socket.setTimeout(idleMs);
      return;
    }
    socket.destroy();
  }
}

/** The request's connection; undefined for an injected request, which has none. */
function socketOf(request: FastifyRequest): Socket | undefined {
  const { socket } = request.raw;
  return typeof socket?.setTimeout === 'function' ? socket : undefined;
}

function cutOff(request: FastifyRequest, reply: FastifyReply, detail: string): void {
  if (reply.sent || reply.raw.headersSent) return;
  timedOut.requests++;
  request.log.warn({ url: (request.server.secrets ?? SHAPES_ONLY).url(request.url) }, 'request timed out');
  reply.raw.once('finish', () => request.raw.socket?.destroy());
  reply.header('connection', 'close');
  sendProblem(reply, 'REQUEST_TIMEOUT', detail);
}
