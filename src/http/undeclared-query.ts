import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

/** The query of a route that declares none: any parameter is 400 UNKNOWN_FIELD, naming it. */
const NO_QUERY = z.strictObject({});

/**
 * The API's routes take only the query parameters they declare, as its list routes always did.
 * A route that declared none took every one and ignored it: `?dryrun=true` (for `dryRun`) stored
 * the plan it was meant to preview, and `?observed_at=` recorded pods at the present time.
 */
export function refuseUndeclaredQueries(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const { schema } = route;
    if (!route.url.startsWith('/v1/') || schema === undefined || schema.querystring !== undefined) return;
    route.schema = { ...schema, querystring: NO_QUERY };
  });
}
