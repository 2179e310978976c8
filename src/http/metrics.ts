import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { HeadroomReport } from '../service/headroom-service.js';
import { headroomExposition } from './headroom-exposition.js';
import { RequestDurations } from './request-durations.js';

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
  private readonly duration = new RequestDurations(
    'aksip_http_request_duration_seconds',
    'Time from the request arriving to its response finishing, by route, method and status class',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );
  /** Counted here and read at each scrape: a gauge's inc and dec check and hash labels each time. */
  private readonly inFlight = { now: 0 };
  /** Registered with the registry, which reads it at each scrape. */
  readonly inFlightGauge = new Gauge({
    name: 'aksip_http_requests_in_flight',
    help: 'Requests received and not yet answered',
    registers: [this.registry],
    collect: setTo(this.inFlight),
  });
  readonly databaseErrors = new Counter({
    name: 'aksip_database_errors_total',
    help: 'Requests that found the database unreachable or busy: answered 503 DATABASE_UNAVAILABLE, or a scrape answered without headroom (aksip_headroom_up 0)',
    registers: [this.registry],
  });

  /** Times every request from its arrival to the end of its response (or its connection). */
  register(app: FastifyInstance): void {
    app.addHook('onRequest', (request, reply, done) => {
      const started = performance.now();
      this.inFlight.now++;
      reply.raw.once('close', () => {
        this.inFlight.now--;
        const route = request.routeOptions.url ?? 'unmatched';
        const seconds = (performance.now() - started) / 1000;
        this.duration.observe(route, request.method, reply.raw.statusCode, seconds);
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
    const requests = `${(await own.metrics()).trimEnd()}\n\n${this.duration.exposition()}\n\n`;
    const pieces = [requests, ...(await headroomExposition(report)), '\n'];
    return { contentType: own.contentType, pieces };
  }
}

/** A gauge's collect: the counter's value at the scrape. */
function setTo(counter: { readonly now: number }) {
  return function (this: Gauge) {
    this.set(counter.now);
  };
}
