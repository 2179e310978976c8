import type { IncomingMessage, ServerResponse } from 'node:http';
import { getHeapStatistics } from 'node:v8';
import fastifyCors from '@fastify/cors';
import fastifyUnderPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { sendProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The security headers of the route: Swagger UI's, or the API's (the default). */
    securityHeaders?: Readonly<Record<string, string>>;
    /** A probe answers for the process, loaded or not: never shed, never rate limited. */
    probe?: boolean;
    /** The media types the route's body may have, when more than application/json (415 names them). */
    bodyTypes?: readonly string[];
  }
}

/** What the edge of the service lets through: browsers, bursts, and load. */
export interface EdgeOptions {
  /** Browser origins allowed to call the API (CORS); none by default. */
  readonly corsOrigins: readonly string[];
  /** Requests per minute per token (per client address without one), in this replica: see rate-limit.ts. */
  readonly rateLimitPerMinute: number;
  /** Above this event-loop delay, requests are shed with 503 until it falls. */
  readonly maxEventLoopDelayMs: number;
  /** Above this heap use, requests are shed with 503. */
  readonly maxHeapUsedBytes: number;
}

export const DEFAULT_EDGE: EdgeOptions = {
  corsOrigins: [],
  rateLimitPerMinute: 1200,
  // Requests yield every 10 ms, so a loop late by a second means the process is overloaded.
  maxEventLoopDelayMs: 1000,
  maxHeapUsedBytes: Math.floor(getHeapStatistics().heap_size_limit * 0.9),
};

/**
 * Answers are JSON, or plain HTML pages without scripts: nothing may be loaded or framed, and
 * the headers meant for old browsers rendering documents are left out. A short header set
 * matters here: it is written on every lookup answer.
 */
const API_HEADERS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  frameguard: { action: 'deny' as const },
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  originAgentCluster: false,
  xXssProtection: false,
};
const DOCS = /^\/docs(\/|$)/;

/** Whether a path (no query) is Swagger UI's: its pages and the files they load. */
export const isDocsPath = (path: string): boolean => DOCS.test(path);
/** Helmet's default policy for the Swagger UI pages (merged over the API headers). */
const DOCS_HEADERS: HelmetOptions = {
  ...API_HEADERS,
  contentSecurityPolicy: { useDefaults: true },
  frameguard: { action: 'sameorigin' as const },
};

/**
 * The headers Helmet sets with these options, computed once: its middleware writes them to a
 * response that only records them. The options hold no per-request values (no nonces), so every
 * answer gets the same headers; @fastify/helmet would build Helmet's middleware again on each
 * request (a tenth of a lookup's time, measured).
 */
function helmetHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error !== undefined) throw error;
  });
  return Object.freeze(headers);
}

/** Seconds a shed request is told to wait. */
const OVERLOAD_RETRY_SECONDS = 5;

/** The headers a browser client may read from answers. */
const EXPOSED_HEADERS = [
  'ETag',
  'Location',
  'Link',
  'Retry-After',
  'X-Request-Id',
  'Idempotent-Replayed',
  'Content-Disposition',
  // A portal can pace itself before it is refused.
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
];

/**
 * The security headers of every API answer, also of those Node writes before any route runs
 * (431, 417).
 */
export const API_SECURITY_HEADERS = helmetHeaders(API_HEADERS);

/**
 * The CORS headers of an answer to `origin` when it is one of `origins`, as the CORS plugin sets
 * them: for answers written where its hook does not run (the router's own refusals).
 */
export function corsHeadersFor(
  origins: readonly string[],
  origin: string | undefined,
): Readonly<Record<string, string>> {
  if (origin === undefined || !origins.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    vary: 'Origin',
    'access-control-expose-headers': EXPOSED_HEADERS.join(', '),
  };
}

/**
 * CORS for the configured origins, security headers and overload shedding. Call before any hook
 * that may answer, so that every refusal (a 401 too) carries CORS and security headers and an
 * overloaded process sheds a request before any other work. The rate limit comes after the auth
 * hook (rate-limit.ts).
 */
export async function registerEdge(app: FastifyInstance, options: EdgeOptions): Promise<void> {
  const apiHeaders = API_SECURITY_HEADERS;
  const docsHeaders = helmetHeaders(DOCS_HEADERS);
  if (options.corsOrigins.length > 0) {
    // An OPTIONS that is no complete preflight is answered as without CORS (405, problem+json),
    // not with the plugin's plain-text 400.
    app.addHook('onRequest', (request, reply, done) => {
      const { origin, 'access-control-request-method': method } = request.headers;
      if (request.method !== 'OPTIONS' || (origin !== undefined && method !== undefined)) return done();
      reply.headers(apiHeaders).callNotFound();
    });
    await app.register(fastifyCors, {
      origin: [...options.corsOrigins],
      credentials: false,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: [
        'authorization',
        'content-type',
        'if-match',
        'if-none-match',
        'idempotency-key',
        'x-request-id',
      ],
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: 600,
    });
  }
  // Swagger UI is the one page with scripts, styles and images: Helmet's default policy (all from
  // the service itself) is one it renders under.
  app.addHook('onRoute', (route) => {
    if (DOCS.test(route.url)) route.config = { ...route.config, securityHeaders: docsHeaders };
  });
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(request.routeOptions.config.securityHeaders ?? apiHeaders);
    done();
  });
  await app.register(fastifyUnderPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs,
    maxHeapUsedBytes: options.maxHeapUsedBytes,
    pressureHandler: (request, reply, type) => {
      if (request.routeOptions.config.probe === true) return;
      reply.header('retry-after', String(OVERLOAD_RETRY_SECONDS));
      sendProblem(
        reply,
        'OVERLOADED',
        `the service is overloaded (${type}); retry after ${OVERLOAD_RETRY_SECONDS} seconds`,
      );
    },
  });
}
