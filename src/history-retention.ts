import type { FastifyInstance } from 'fastify';
import { forgetPodHistory } from './service/pod-service.js';
import type { Store } from './store/store.js';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Prunes pod address intervals closed more than `days` ago, at start-up and every hour after,
 * in the background: each statement deletes a bounded batch, so writes never wait long on it.
 */
export function scheduleHistoryRetention(app: FastifyInstance, store: Store, days: number): void {
  const prune = () =>
    forgetPodHistory(store, days, new Date()).then(
      (removed) => {
        if (removed > 0) app.log.info({ removed, days }, 'pruned pod address history past retention');
      },
      (error: unknown) => app.log.error({ err: error }, 'pruning pod address history failed'),
    );
  void prune();
  const timer = setInterval(() => void prune(), HOUR_MS);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
