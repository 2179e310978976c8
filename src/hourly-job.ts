import type { FastifyInstance } from 'fastify';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Runs a background job at start-up and every hour after, until the application closes. Its
 * count is logged when it did something, its failure logged and left for the next hour.
 */
export function scheduleHourly(
  app: FastifyInstance,
  job: () => Promise<number>,
  log: { readonly done: string; readonly failed: string; readonly days: number },
): void {
  const run = () =>
    job().then(
      (removed) => {
        if (removed > 0) app.log.info({ removed, days: log.days }, log.done);
      },
      (error: unknown) => app.log.error({ err: error }, log.failed),
    );
  void run();
  const timer = setInterval(() => void run(), HOUR_MS);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
