import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { callerNamed } from './auth.js';
import { sendProblem } from './problem.js';

/**
 * Tokens (stored ones, OIDC subjects, ADMIN_TOKEN) whose windows are remembered at once; beyond
 * it the oldest window is forgotten. Only a caller the service authenticated adds one.
 */
export const RATE_LIMIT_TOKENS = 10_000;
/**
 * Client addresses remembered at once, apart from tokens: anyone can send from many addresses,
 * and a flood of them must not forget a token's window (which would lift its limit).
 */
export const RATE_LIMIT_ADDRESSES = 10_000;
const WINDOW_MS = 60_000;

interface Window {
  startedAt: number;
  count: number;
}

/** What one request's count left: the header values, and whether it is over the limit. */
export interface Count {
  readonly remaining: number;
  /** Seconds until the window ends and the count starts again. */
  readonly resetSeconds: number;
  readonly exceeded: boolean;
}

/**
 * Fixed one-minute windows per caller, counted in this replica, in memory bounded by `callers`.
 * A window starts at a caller's first request.
 */
export class RateWindows {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly max: number,
    private readonly callers = RATE_LIMIT_TOKENS,
  ) {}

  count(key: string, now: number): Count {
    let window = this.windows.get(key);
    if (window === undefined || window.startedAt + WINDOW_MS <= now) {
      window = this.start(key, now);
    }
    window.count++;
    const resetSeconds = Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000));
    return {
      remaining: Math.max(0, this.max - window.count),
      resetSeconds,
      exceeded: window.count > this.max,
    };
  }

  /** A new window, last in the map's order, so that the first in it is the oldest. */
  private start(key: string, now: number): Window {
    this.windows.delete(key);
    if (this.windows.size >= this.callers) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
    const window = { startedAt: now, count: 0 };
    this.windows.set(key, window);
    return window;
  }
}

/**
 * Limits each caller to `perMinute` requests on every route but the probes, and tells it where
 * it stands (X-RateLimit-Limit, -Remaining, -Reset; Retry-After when refused). Register after
 * the auth hook: a request with a bad token is a 401 that is not counted, and callers are
 * counted per token (callers without one per client address, in a bounded map of their own,
 * so that they can never push a token's window out). A callback hook with a count in a map:
 * the rate limit runs on every request, and a plugin that awaits its key, its allow list and
 * its store cost about 3 of the 30 µs of server CPU a no-op request took (measured).
 */
export function registerRateLimit(app: FastifyInstance, perMinute: number): void {
  const byToken = new RateWindows(perMinute, RATE_LIMIT_TOKENS);
  const byClientAddress = new RateWindows(perMinute, RATE_LIMIT_ADDRESSES);
  const limit = String(perMinute);
  app.addHook('onRequest', (request, reply, done) => {
    if (request.is404 || request.routeOptions.config.probe === true) return done();
    const windows = byAddress(request) ? byClientAddress : byToken;
    const count = windows.count(callerKey(request), Date.now());
    reply.headers({
      'x-ratelimit-limit': limit,
      'x-ratelimit-remaining': String(count.remaining),
      'x-ratelimit-reset': String(count.resetSeconds),
    });
    if (!count.exceeded) return done();
    refuse(request, reply, perMinute, count.resetSeconds);
  });
}

function refuse(request: FastifyRequest, reply: FastifyReply, perMinute: number, seconds: number): void {
  reply.header('retry-after', String(seconds));
  sendProblem(
    reply,
    'RATE_LIMITED',
    `more than ${perMinute} requests a minute from ${callerName(request)}; retry in ${seconds} seconds`,
  );
}

/** Counted per token, or per client address for callers without one. */
function byAddress(request: FastifyRequest): boolean {
  return request.principal === null || request.principal.kind === 'anonymous';
}

function callerKey(request: FastifyRequest): string {
  // By kind too: an OIDC subject is any text its provider chose, and may equal a token's id.
  return byAddress(request) ? `ip:${request.ip}` : `${request.principal?.kind}:${request.principal?.id}`;
}

function callerName(request: FastifyRequest): string {
  return byAddress(request) ? `address ${request.ip}` : callerNamed(request.principal);
}
