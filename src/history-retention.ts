import type { FastifyInstance } from 'fastify';
import { scheduleHourly } from './hourly-job.js';
import { forgetPodHistory } from './service/pod-service.js';
import type { Store } from './store/store.js';

/**
 * Prunes pod address intervals closed more than `days` ago, at start-up and every hour after,
 * in the background: each statement deletes a bounded batch, so writes never wait long on it.
 */
export function scheduleHistoryRetention(app: FastifyInstance, store: Store, days: number): void {
  scheduleHourly(app, () => forgetPodHistory(store, days, new Date()), {
    done: 'pruned pod address history past retention',
    failed: 'pruning pod address history failed',
    days,
  });
}
