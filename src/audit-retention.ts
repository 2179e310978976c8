import type { FastifyInstance } from 'fastify';
import { HistoryService } from './service/history-service.js';
import type { Store } from './store/store.js';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Prunes audit entries older than `days` at start-up and every hour after, in the background:
 * each run is one short delete, so writes wait on it no longer than on any other write.
 */
export function scheduleAuditRetention(app: FastifyInstance, store: Store, days: number | undefined): void {
  if (days === undefined) return;
  const history = new HistoryService(store);
  const prune = () =>
    history.forgetOlderThan(days).then(
      (removed) => {
        if (removed > 0) app.log.info({ removed, days }, 'pruned audit entries past retention');
      },
      (error: unknown) => app.log.error({ err: error }, 'pruning audit entries failed'),
    );
  void prune();
  const timer = setInterval(() => void prune(), HOUR_MS);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
