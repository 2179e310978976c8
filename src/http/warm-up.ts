import type { FastifyInstance } from 'fastify';

/**
 * How long getting ready waits for the plan index: Fastify fails an onReady hook after its
 * plugin timeout (10 s), and a large index read from a slow database can take longer.
 */
export const INDEX_WAIT_MS = 8_000;

/**
 * Builds the plan index while the app gets ready, before the port opens: building it for
 * 10,000 plans held the event loop for most of a second when the first lookup did it. A build
 * that takes longer than `waitMs` goes on in the background (lookups wait for it); one that
 * fails (the database away at start) is logged and left to the first lookup.
 */
export function warmBeforeListening(
  app: FastifyInstance,
  warm: () => Promise<void>,
  waitMs = INDEX_WAIT_MS,
): void {
  app.addHook('onReady', async () => {
    const built = warm().then(
      () => true,
      (error: unknown) => {
        app.log.warn({ err: error }, 'plan index not built at start');
        return true;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), waitMs);
    });
    if (!(await Promise.race([built, waited]))) {
      app.log.warn(`plan index still building after ${waitMs} ms: the port opens, lookups wait for it`);
    }
    clearTimeout(timer);
  });
}
