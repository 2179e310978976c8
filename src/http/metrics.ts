import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Verdict } from '../domain/capacity/verdict.js';
import type { HeadroomReport } from '../service/headroom-service.js';

/** Process metrics (CPU, memory, event-loop delay, GC) are the process's: collected once. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Requests of one app: duration by route, method and status class; in flight; database errors. */
export class HttpMetrics {
  readonly registry = new Registry();
  /**
   * Registered with the app, not at the first scrape: prom-client takes its CPU baseline and
   * starts the event-loop and GC monitors when they are registered.
   */
  private readonly process = processMetrics();
  private readonly duration = new Histogram({
    name: 'aksip_http_request_duration_seconds',
    help: 'Time from the request arriving to its response finishing, by route, method and status class',
    labelNames: ['route', 'method', 'status_class'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly inFlight = new Gauge({
    name: 'aksip_http_requests_in_flight',
    help: 'Requests received and not yet answered',
    registers: [this.registry],
  });
  readonly databaseErrors = new Counter({
    name: 'aksip_database_errors_total',
    help: 'Requests answered 503 DATABASE_UNAVAILABLE because the database could not be reached',
    registers: [this.registry],
  });

  /** Times every request from its arrival to the end of its response (or its connection). */
  register(app: FastifyInstance): void {
    app.addHook('onRequest', (request, reply, done) => {
      const started = performance.now();
      this.inFlight.inc();
      reply.raw.once('close', () => {
        this.inFlight.dec();
        this.duration.observe(
          {
            route: request.routeOptions.url ?? 'unmatched',
            method: request.method,
            status_class: `${Math.floor(reply.raw.statusCode / 100)}xx`,
          },
          (performance.now() - started) / 1000,
        );
      });
      done();
    });
  }

  /** The exposition: process and request metrics, then the caller's headroom (none while the database is away). */
  async exposition(report: HeadroomReport | undefined): Promise<{ contentType: string; text: string }> {
    const headroom = headroomRegistry(report);
    const all = Registry.merge([this.process, this.registry, headroom]);
    return { contentType: all.contentType, text: await all.metrics() };
  }
}

const VERDICTS: readonly Verdict[] = ['ok', 'at-risk', 'exhausted'];

/** The headroom gauges of one scrape, holding what this caller may see. */
function headroomRegistry(report: HeadroomReport | undefined): Registry {
  const registry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  const up = gauge(
    'aksip_headroom_up',
    '1 when the headroom below was read from the database, 0 when it could not be',
    [],
  );
  up.set(report === undefined ? 0 : 1);
  if (report === undefined) return registry;
  const rangeLabels = ['plan', 'range_kind', 'cidr'] as const;
  const usable = gauge(
    'aksip_range_usable_addresses',
    'Addresses of the range pods, nodes and services may use',
    rangeLabels,
  );
  const required = gauge(
    'aksip_range_required_addresses',
    'Addresses the range needs now, at the autoscaler maxima, and at the maxima during an upgrade',
    [...rangeLabels, 'stage'],
  );
  const free = gauge(
    'aksip_range_free_addresses',
    'Usable addresses left during an upgrade at the maxima (negative: the shortfall)',
    rangeLabels,
  );
  const utilization = gauge(
    'aksip_range_utilization_ratio',
    'Required during an upgrade at the maxima over usable',
    rangeLabels,
  );
  const verdict = gauge(
    'aksip_plan_verdict',
    "1 for the plan's verdict (ok, at-risk, exhausted), 0 for the others",
    ['plan', 'verdict'],
  );
  const snat = gauge(
    'aksip_snat_utilization_ratio',
    'Nodes at the maxima plus surge over the nodes the SNAT ports carry',
    ['plan'],
  );
  const recorded = gauge('aksip_pool_recorded_nodes', 'Nodes recorded from the cluster, by pool', [
    'plan',
    'pool',
  ]);
  const slots = gauge(
    'aksip_pool_node_slots',
    'Node slots the plan lays out for the pool (maximum plus surge)',
    ['plan', 'pool'],
  );
  const plans = gauge(
    'aksip_plans',
    'Stored plans the caller sees, by verdict (also those beyond METRICS_MAX_PLANS)',
    ['verdict'],
  );
  const reported = gauge(
    'aksip_plans_reported',
    'Plans with series in this scrape: the nearest exhaustion, at most METRICS_MAX_PLANS',
    [],
  );
  const spaceFree = gauge('aksip_space_free_addresses', 'Addresses of the space not allocated, by family', [
    'space',
    'family',
  ]);
  const spaceUse = gauge(
    'aksip_space_utilization_ratio',
    'Allocated over all addresses of the space, by family',
    ['space', 'family'],
  );

  for (const h of report.plans) {
    const plan = h.plan.name;
    for (const r of h.ranges) {
      const labels = { plan, range_kind: r.kind, cidr: r.cidr.toString() };
      usable.set(labels, Number(r.usable));
      required.set({ ...labels, stage: 'current' }, Number(r.required.current));
      required.set({ ...labels, stage: 'at_max_count' }, Number(r.required.atMaxCount));
      required.set({ ...labels, stage: 'during_upgrade' }, Number(r.required.duringUpgrade));
      free.set(labels, Number(r.free));
      utilization.set(labels, r.utilization);
    }
    for (const v of VERDICTS) verdict.set({ plan, verdict: v }, h.verdict === v ? 1 : 0);
    if (h.snatUtilization !== null) snat.set({ plan }, h.snatUtilization);
    const counts = report.recordedNodes.get(h.plan.id);
    for (const pool of h.pools) {
      slots.set({ plan, pool: pool.name }, pool.slots);
      if (counts !== undefined) recorded.set({ plan, pool: pool.name }, counts.get(pool.name) ?? 0);
    }
  }
  for (const v of VERDICTS) plans.set({ verdict: v }, report.verdicts[v]);
  reported.set(report.plans.length);
  for (const { space, use } of report.spaces) {
    for (const u of use) {
      const labels = { space: space.name, family: u.family === 4 ? 'ipv4' : 'ipv6' };
      spaceFree.set(labels, Number(u.free));
      spaceUse.set(labels, u.total === 0n ? 0 : Number(u.allocated) / Number(u.total));
    }
  }
  return registry;
}
