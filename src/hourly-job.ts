import type { FastifyInstance } from 'fastify';
import { StoreUnavailableError } from './store/store-unavailable.js';

const HOUR_MS = 60 * 60 * 1000;
/** A run that found the database away is tried again this soon, not an hour later. */
export const RETRY_AFTER_OUTAGE_MS = 60 * 1000;

interface JobLog {
  readonly done: string;
  readonly failed: string;
  readonly days: number;
}

/**
 * Runs a background job at start-up and every hour after, until the application closes. Its
 * count is logged when it did something. A database that is away (PostgreSQL still starting, an
 * outage: the service answers 503 meanwhile) is a warning, and the job is tried again in a
 * minute; any other failure is an error, left for the next hour.
 */
export function scheduleHourly(
  app: FastifyInstance,
  job: () => Promise<number>,
  log: JobLog,
  retryMs = RETRY_AFTER_OUTAGE_MS,
): void {
  let retry: NodeJS.Timeout | undefined;
  const run = (): Promise<void> =>
    job().then(
      (removed) => {
        if (removed > 0) app.log.info({ removed, days: log.days }, log.done);
      },
      (error: unknown) => {
        if (!(error instanceof StoreUnavailableError)) return app.log.error({ err: error }, log.failed);
        app.log.warn({ reason: error.message, retryInSeconds: retryMs / 1000 }, log.failed);
        clearTimeout(retry);
        retry = setTimeout(() => void run(), retryMs);
        retry.unref();
      },
    );
  void run();
  const timer = setInterval(() => void run(), HOUR_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    clearTimeout(retry);
  });
}
