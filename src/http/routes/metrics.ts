import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HeadroomService } from '../../service/headroom-service.js';
import { StoreUnavailableError } from '../../store/store-unavailable.js';
import { teamOf } from '../auth.js';
import type { HttpMetrics } from '../metrics.js';
import { sendPieces } from '../pieces.js';

export interface MetricsOptions {
  /** Scrapes without a token (METRICS_PUBLIC): every team's plans are then visible. */
  readonly public: boolean;
  /** Plans with series per scrape (METRICS_MAX_PLANS): beyond it, the nearest exhaustion. */
  readonly maxPlans: number;
}

export const DEFAULT_METRICS: MetricsOptions = { public: false, maxPlans: 1000 };

/** Prometheus scrapes: request metrics, and the headroom of the plans and spaces the caller sees. */
export const metricsRoutes: FastifyPluginAsyncZod<{
  metrics: HttpMetrics;
  headroom: HeadroomService;
  options: MetricsOptions;
}> = async (app, { metrics, headroom, options }) => {
  app.get(
    '/metrics',
    {
      config: { scope: options.public ? 'public' : 'read' },
      schema: {
        operationId: 'getMetrics',
        tags: ['operations'],
        summary: 'Prometheus metrics: headroom of every plan and space, and request metrics',
        description: `The Prometheus text format. Per plan range: aksip_range_usable_addresses, aksip_range_required_addresses{stage="current|at_max_count|during_upgrade"}, aksip_range_free_addresses, aksip_range_utilization_ratio (labels plan, range_kind, cidr); aksip_plan_verdict{plan,verdict}; aksip_snat_utilization_ratio{plan}; aksip_pool_node_slots and, where real nodes are recorded, aksip_pool_recorded_nodes{plan,pool}; per space and family aksip_space_free_addresses and aksip_space_utilization_ratio; aksip_plans{verdict} counts every plan. Per-plan series are kept to the ${options.maxPlans} plans nearest exhaustion (METRICS_MAX_PLANS), space series to as many spaces, the fullest first. A token with team labels sees its team's plans and spaces only. Also aksip_http_request_duration_seconds{route,method,status_class}, aksip_http_requests_in_flight, aksip_database_errors_total and the process metrics (CPU, memory, event-loop delay, GC).`,
      },
    },
    async (request, reply) => {
      // While the database is away the request and process metrics matter most: they are
      // answered, without headroom, and aksip_headroom_up says so.
      const report = await headroom.report(teamOf(request), options.maxPlans).catch((error: unknown) => {
        if (!(error instanceof StoreUnavailableError)) throw error;
        metrics.databaseErrors.inc();
        return undefined;
      });
      const { contentType, pieces } = await metrics.exposition(report);
      return sendPieces(reply, contentType, pieces);
    },
  );
};
