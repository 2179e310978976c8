import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { HeadroomReport } from '../service/headroom-service.js';
import { headroomExposition } from './headroom-exposition.js';

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
    help: 'Requests answered 503 DATABASE_UNAVAILABLE because the database could not be reached or stayed busy',
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

  /**
   * The exposition: process and request metrics, then the caller's headroom (none while the
   * database is away), in pieces to write one after another (the whole can be 30 MB).
   */
  async exposition(report: HeadroomReport | undefined): Promise<{ contentType: string; pieces: string[] }> {
    const own = Registry.merge([this.process, this.registry]);
    // Families are a blank line apart; the last ends with a newline.
    const pieces = [`${(await own.metrics()).trimEnd()}\n\n`, ...(await headroomExposition(report)), '\n'];
    return { contentType: own.contentType, pieces };
  }
}
