import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { ConflictService } from '../service/conflict-service.js';
import { PlannerService } from '../service/planner-service.js';
import { SpaceService } from '../service/space-service.js';
import type { Store } from '../store/store.js';
import { handleClientError, handleRouterError, registerErrorHandling } from './error-handler.js';
import { registerJsonBody } from './json-body.js';
import './schemas/components.js';
import { calculationRoutes } from './routes/calculations.js';
import { comparisonRoutes } from './routes/comparisons.js';
import { conflictRoutes } from './routes/conflicts.js';
import { healthRoutes } from './routes/health.js';
import { lookupRoutes } from './routes/lookup.js';
import { planRoutes } from './routes/plans.js';
import { realNodeRoutes } from './routes/real-nodes.js';
import { spaceRoutes } from './routes/spaces.js';

export interface AppDeps {
  readonly store: Store;
  readonly logger?: FastifyServerOptions['logger'];
}

/** 1 MiB holds a 10,000-address batch lookup with room to spare. */
const BODY_LIMIT = 1024 * 1024;
const MAX_PARAM_LENGTH = 2048;

export const API_INFO = {
  title: 'AKS IP planner',
  description:
    'Plans the address layout of Azure Kubernetes Service clusters, stores the plans, and answers which node owns an IP and whether a subnet will exhaust.',
  version: '1.0.0',
};

/** Builds the application without listening: used by the server and by every test. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // Long path parameters reach the schemas (and a problem+json answer), not the router's own 414.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: handleRouterError,
    clientErrorHandler: handleClientError,
  }).withTypeProvider<ZodTypeProvider>();
  // Bodies are JSON only: anything else is 415, not a string handed to the schemas.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  registerJsonBody(app);

  await app.register(fastifySwagger, {
    openapi: { openapi: '3.1.0', info: API_INFO },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  const planner = new PlannerService(deps.store);
  await app.register(healthRoutes, { store: deps.store });
  await app.register(planRoutes, { planner });
  await app.register(realNodeRoutes, { planner });
  await app.register(calculationRoutes, { planner });
  await app.register(comparisonRoutes, { planner });
  await app.register(lookupRoutes, { planner });
  await app.register(spaceRoutes, { spaces: new SpaceService(deps.store.spaces) });
  await app.register(conflictRoutes, { conflicts: new ConflictService(deps.store) });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.addHook('onClose', async () => deps.store.close());
  return app;
}
