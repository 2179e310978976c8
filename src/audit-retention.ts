import type { FastifyInstance } from 'fastify';
import { scheduleHourly } from './hourly-job.js';
import { HistoryService } from './service/history-service.js';
import type { Store } from './store/store.js';

/**
 * Prunes audit entries older than `days` at start-up and every hour after, in the background:
 * each run is one short delete, so writes wait on it no longer than on any other write.
 */
export function scheduleAuditRetention(app: FastifyInstance, store: Store, days: number | undefined): void {
  if (days === undefined) return;
  const history = new HistoryService(store);
  scheduleHourly(app, () => history.forgetOlderThan(days), {
    done: 'pruned audit entries past retention',
    failed: 'pruning audit entries failed',
    days,
  });
}
