import type { FastifyInstance } from 'fastify';
import { within } from '../deadline.js';

/**
 * How long getting ready waits for the plan index: Fastify fails an onReady hook after its
 * plugin timeout (10 s), and a large index read from a slow database can take longer.
 */
export const INDEX_WAIT_MS = 8_000;

/**
 * Builds the plan index while the app gets ready, before the port opens: building it for
 * 10,000 plans held the event loop for most of a second when the first lookup did it. A build
 * that takes longer than `waitMs` goes on after the port opens (lookups join it; it is one pass,
 * since slices make it about 15% slower); one that fails (the database away at start) is logged
 * and left to the first lookup. A close cuts it short quietly.
 */
export function warmBeforeListening(
  app: FastifyInstance,
  warm: () => Promise<void>,
  waitMs = INDEX_WAIT_MS,
): void {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onReady', async () => {
    let waiting = true;
    const built = warm().then(
      () => {
        if (!waiting) app.log.info('plan index built');
        return true;
      },
      (error: unknown) => {
        if (!closing) app.log.warn({ err: error }, 'plan index not built: the first lookup builds it');
        return true;
      },
    );
    if ((await within(built, waitMs)) === 'late') {
      app.log.warn(`plan index still building after ${waitMs} ms: the port opens, lookups wait for it`);
    }
    waiting = false;
  });
}
