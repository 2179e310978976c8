import type { FastifyInstance } from 'fastify';
import { within } from './deadline.js';

/**
 * How long closing may take once requests are cut: the database's close. A PostgreSQL that
 * stopped answering would hold it for ever, and the grace period promises an exit.
 */
export const CLOSE_AFTER_CUT_MS = 5_000;

/**
 * Stops the service within a deadline: no new connections, idle keep-alive connections closed
 * at once, requests in flight let finish for up to `graceMs`; then whatever is left (a stalled
 * upload, a stream that will not end) is cut, and the database is closed. A close that has not
 * ended `afterCutMs` later is given up ('abandoned'): the process exits without it.
 */
export async function shutDown(
  app: Pick<FastifyInstance, 'close' | 'server'>,
  graceMs: number,
  afterCutMs = CLOSE_AFTER_CUT_MS,
): Promise<'finished' | 'cut' | 'abandoned'> {
  const closed = app.close().then(() => 'finished' as const);
  if ((await within(closed, graceMs)) === 'finished') return 'finished';
  app.server.closeAllConnections();
  return (await within(closed, afterCutMs)) === 'finished' ? 'cut' : 'abandoned';
}
