import { Readable } from 'node:stream';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { type OidcOptions, OidcVerifier } from '../service/oidc-verifier.js';
import type { RecordIndexOptions } from '../service/record-index.js';
import { createServices } from '../service/services.js';
import type { RandomBytes } from '../service/token-service.js';
import type { Store } from '../store/store.js';
import { type AuthOptions, DEFAULT_AUTH, registerAuth, SECURITY_SCHEMES } from './auth.js';
import { BODY_LIMITS } from './body-limits.js';
import { registerClosing } from './closing.js';
import { DEFAULT_EDGE, type EdgeOptions, registerEdge } from './edge.js';
import {
  handleClientError,
  refuseEmptyPathParameters,
  registerErrorHandling,
  routerErrorHandler,
  unmetExpectationHandler,
} from './error-handler.js';
import { refuseUnreadableRequests, registerJsonBody } from './json-body.js';
import { ListParser } from './list-parser.js';
import { isStreamedLookup } from './lookup-stream.js';
import { HttpMetrics } from './metrics.js';
import { type PublishedDocument, publishedDocument } from './openapi/published.js';
import { refineDocument } from './openapi/refine.js';
import { registerRateLimit } from './rate-limit.js';
import { registerRequestLog, requestIdOf } from './request-log.js';
import { SecretRedaction } from './secret-redaction.js';
import { DEFAULT_TIMEOUTS, registerTimeouts, serverTimeouts, type Timeouts } from './timeouts.js';
import { registerTurnBatching } from './turn-batching.js';
import { refuseUndeclaredQueries } from './undeclared-query.js';
import './schemas/components.js';
import { allocationRoutes } from './routes/allocations.js';
import { calculationRoutes } from './routes/calculations.js';
import { comparisonRoutes } from './routes/comparisons.js';
import { conflictRoutes } from './routes/conflicts.js';
import { exportRoutes } from './routes/exports.js';
import { healthRoutes } from './routes/health.js';
import { historyRoutes } from './routes/history.js';
import { lookupRoutes } from './routes/lookup.js';
import { mapRoutes } from './routes/maps.js';
import { DEFAULT_METRICS, type MetricsOptions, metricsRoutes } from './routes/metrics.js';
import { planImportRoutes } from './routes/plan-imports.js';
import { planRoutes } from './routes/plans.js';
import { podRoutes } from './routes/pods.js';
import { realNodeRoutes } from './routes/real-nodes.js';
import { referenceRoutes } from './routes/reference.js';
import { spaceRoutes } from './routes/spaces.js';
import { tokenRoutes } from './routes/tokens.js';
import { VERSION } from './version.js';
import { warmBeforeListening } from './warm-up.js';
import { zodValidatorCompiler } from './zod-validation.js';

export interface AppDeps {
  readonly store: Store;
  readonly logger?: FastifyServerOptions['logger'];
  /** The OpenAPI document to publish; by default the committed openapi.yaml. */
  readonly document?: () => PublishedDocument;
  /** How long getting ready waits for the plan index (INDEX_WAIT_MS by default). */
  readonly indexWaitMs?: number;
  readonly timeouts?: Timeouts;
  /** The memory budget of laid-out designs; see DEFAULT_DESIGN_CACHE_BYTES. */
  readonly designCacheBytes?: number;
  /** Who may call: tokens by default. */
  readonly auth?: AuthOptions;
  /** An admin token from the environment (ADMIN_TOKEN), never stored. */
  readonly adminToken?: string | undefined;
  /** Where token secrets come from: the system's random bytes unless examples fix them. */
  readonly random?: RandomBytes;
  /** JWTs from this identity provider are accepted besides API tokens. */
  readonly oidc?: OidcOptions | undefined;
  /** CORS origins, rate limit and overload thresholds; DEFAULT_EDGE for what is not given. */
  readonly edge?: Partial<EdgeOptions>;
  /** Which X-Forwarded-For entries to believe for the client address rate limits count by. */
  readonly trustProxy?: TrustProxy;
  /** Who may scrape /metrics, and how many plans get series. */
  readonly metrics?: Partial<MetricsOptions>;
  /** How many recorded pod intervals and nodes lookups hold in memory, and for how long. */
  readonly records?: RecordIndexOptions | undefined;
  /** The time tokens expire against: the system's unless examples fix it. */
  readonly now?: () => Date;
}

/**
 * The proxies in front: none (false), how many in a row (each appends the address it received
 * the request from to X-Forwarded-For), or their addresses and CIDRs.
 */
export type TrustProxy = false | number | readonly string[];

/**
 * Fastify's own hop count trusts nothing (it cannot tell a proxy from a client talking to the
 * service directly), so a count n is a function: it trusts the socket's peer and the n - 1
 * right-most entries (the proxies' own addresses), and the next entry, written by the first
 * proxy, names the client. Anything further left came from the client and is never read.
 */
function fastifyTrustProxy(trust: TrustProxy): FastifyServerOptions['trustProxy'] {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return trust === false ? false : [...trust];
}

const MAX_PARAM_LENGTH = 2048;

export const API_INFO = {
  title: 'AKS IP planner',
  description:
    'Plans the address layout of Azure Kubernetes Service clusters, stores the plans, and answers which node owns an IP and whether a subnet will exhaust. Every error is application/problem+json; its type links to a page at /problems that says what to do.',
  version: VERSION,
};

/** Builds the application without listening: used by the server and by every test. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const timeouts = deps.timeouts ?? DEFAULT_TIMEOUTS;
  const edge = { ...DEFAULT_EDGE, ...deps.edge };
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: BODY_LIMITS.batch,
    // Long path parameters reach the schemas (and a problem+json answer), not the router's own 414.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: routerErrorHandler(edge.corsOrigins),
    clientErrorHandler: handleClientError,
    genReqId: requestIdOf,
    trustProxy: fastifyTrustProxy(deps.trustProxy ?? false),
    // registerClosing answers requests that arrive while closing, as a problem.
    return503OnClosing: false,
    // One line per request, written by registerRequestLog, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    ...serverTimeouts(timeouts),
  }).withTypeProvider<ZodTypeProvider>();
  // Bodies are JSON only: anything else is 415, not a string handed to the schemas.
  app.removeContentTypeParser('text/plain');
  // A streamed lookup body is the request stream itself: its lines are checked as they arrive.
  app.setValidatorCompiler((route) => {
    const validate = zodValidatorCompiler(route as Parameters<typeof zodValidatorCompiler>[0]);
    return route.httpPart === 'body'
      ? (data: unknown) => (data instanceof Readable ? { value: data } : validate(data))
      : validate;
  });
  app.setSerializerCompiler(serializerCompiler);
  const secrets = new SecretRedaction([deps.adminToken]);
  app.decorate('secrets', secrets);
  registerTurnBatching(app); // first: no hook runs inside the read of a socket
  const metrics = new HttpMetrics();
  registerErrorHandling(app, () => metrics.databaseErrors.inc());
  app.server.on('checkExpectation', unmetExpectationHandler(secrets));
  metrics.register(app);
  registerRequestLog(app); // first: every answer carries the request id
  // Next: every answer from here on, refusals of the hooks below included, carries the security
  // and CORS headers, and an overloaded process sheds a request before any other work.
  await registerEdge(app, edge);
  refuseEmptyPathParameters(app);
  const lists = new ListParser();
  app.addHook('onClose', () => lists.close());
  registerJsonBody(app, lists);
  refuseUnreadableRequests(app);
  registerTimeouts(app, timeouts, isStreamedLookup);
  const services = createServices(deps.store, {
    designCacheBytes: deps.designCacheBytes,
    adminToken: deps.adminToken,
    random: deps.random,
    now: deps.now,
    records: deps.records,
  });
  warmBeforeListening(app, () => services.lookups.warm(), deps.indexWaitMs);
  registerClosing(app);
  const oidc =
    deps.oidc === undefined
      ? undefined
      : new OidcVerifier(deps.oidc, { warn: (message) => app.log.warn(message) });
  registerAuth(app, services.tokens, deps.auth ?? DEFAULT_AUTH, oidc);
  registerRateLimit(app, edge.rateLimitPerMinute);
  refuseUndeclaredQueries(app);

  await app.register(fastifySwagger, {
    openapi: { openapi: '3.1.0', info: API_INFO, components: { securitySchemes: SECURITY_SCHEMES } },
    transform: jsonSchemaTransform,
    transformObject: (input) => refineDocument(jsonSchemaTransformObject(input) as Record<string, unknown>),
  });
  let document: PublishedDocument | undefined;
  const published = () => {
    document ??= deps.document?.() ?? publishedDocument(() => app.swagger() as Record<string, unknown>);
    return document;
  };
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    // Swagger UI shows the published document: the app's schemas with real response examples.
    transformSpecification: () => published().json,
    transformSpecificationClone: false,
    uiConfig: { displayOperationId: true },
  });

  const { plans, nodes, lookups, comparisons, spaces, conflicts, tokens, history } = services;
  await app.register(referenceRoutes, { published });
  await app.register(healthRoutes, { ready: () => deps.store.isReady() });
  await app.register(planRoutes, { plans, nodes });
  await app.register(realNodeRoutes, { nodes });
  await app.register(podRoutes, { pods: services.pods });
  await app.register(calculationRoutes, { plans });
  await app.register(exportRoutes, { plans });
  await app.register(mapRoutes, { plans });
  await app.register(planImportRoutes, { plans });
  await app.register(comparisonRoutes, { comparisons });
  await app.register(lookupRoutes, { lookups });
  await app.register(spaceRoutes, { spaces });
  await app.register(allocationRoutes, { spaces });
  await app.register(conflictRoutes, { conflicts });
  await app.register(tokenRoutes, { tokens });
  await app.register(historyRoutes, { history });
  await app.register(metricsRoutes, {
    metrics,
    headroom: services.headroom,
    options: { ...DEFAULT_METRICS, ...deps.metrics },
  });
  app.addHook('onClose', async () => deps.store.close());
  return app;
}
