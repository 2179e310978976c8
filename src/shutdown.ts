import type { FastifyInstance } from 'fastify';

/**
 * Stops the service within a deadline: no new connections, idle keep-alive connections closed
 * at once, requests in flight let finish for up to `graceMs`; then whatever is left (a stalled
 * upload, a stream that will not end) is cut, and the database is closed.
 */
export async function shutDown(app: FastifyInstance, graceMs: number): Promise<'finished' | 'cut'> {
  let timer: NodeJS.Timeout | undefined;
  const closed = app.close();
  const deadline = new Promise<'cut'>((resolve) => {
    timer = setTimeout(() => resolve('cut'), graceMs);
  });
  const outcome = await Promise.race([closed.then(() => 'finished' as const), deadline]);
  clearTimeout(timer);
  if (outcome === 'cut') {
    app.server.closeAllConnections();
    await closed;
  }
  return outcome;
}
