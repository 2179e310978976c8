/** The retention jobs' schedule: an outage is a warning and a retry soon, any other failure an error. */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { scheduleAuditRetention } from '../../src/audit-retention.js';
import { scheduleHourly } from '../../src/hourly-job.js';
import type { Store } from '../../src/store/store.js';
import { StoreUnavailableError } from '../../src/store/store-unavailable.js';

/** An app that records its log lines and runs its onClose hooks when told. */
function fakeApp() {
  const lines: { level: string; message: string }[] = [];
  const closing: (() => Promise<void>)[] = [];
  const at = (level: string) => (_fields: unknown, message: string) => lines.push({ level, message });
  const app = {
    log: { info: at('info'), warn: at('warn'), error: at('error') },
    addHook: (_name: string, hook: () => Promise<void>) => closing.push(hook),
  } as unknown as FastifyInstance;
  return { app, lines, close: () => Promise.all(closing.map((hook) => hook())) };
}

const LOG = { done: 'pruned', failed: 'prune failed', days: 30 };

/** The job (given its run's number) scheduled with a retry after 20 ms, watched for `ms`. */
async function scheduled(job: (run: number) => number, ms: number) {
  const { app, lines, close } = fakeApp();
  let runs = 0;
  scheduleHourly(app, async () => job(++runs), LOG, 20);
  await new Promise((resolve) => setTimeout(resolve, ms));
  await close();
  return { lines, runs };
}

describe('scheduleHourly', () => {
  it('warns of a database that is away and tries again soon, not an hour later', async () => {
    const { lines, runs } = await scheduled((run) => {
      if (run === 1) throw new StoreUnavailableError('connection refused');
      return 3;
    }, 200);
    expect(runs).toBe(2);
    expect(lines).toEqual([
      { level: 'warn', message: 'prune failed' },
      { level: 'info', message: 'pruned' },
    ]);
  });

  it('logs any other failure as an error and leaves it for the next hour', async () => {
    const { lines, runs } = await scheduled(() => {
      throw new Error('a bug');
    }, 100);
    expect([runs, lines]).toEqual([1, [{ level: 'error', message: 'prune failed' }]]);
  });
});

describe('scheduleAuditRetention', () => {
  it('schedules nothing when no retention is set: the audit trail is kept whole', async () => {
    const { app, lines, close } = fakeApp();
    const touched: string[] = [];
    // Any use of the store would be a prune (or a failed one, logged every hour).
    const store = new Proxy({} as Store, {
      get: (_target, key) => {
        touched.push(String(key));
        return () => Promise.resolve(0);
      },
    });
    scheduleAuditRetention(app, store, undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await close();
    expect([touched, lines]).toEqual([[], []]);
  });
});
