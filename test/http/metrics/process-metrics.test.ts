/**
 * Node's process metrics count from the app's start, not from the first scrape: prom-client
 * takes its CPU baseline and starts its monitors when they are registered.
 */
import { expect, it } from 'vitest';
import { useTestApp } from '../support/app.js';

const ctx = useTestApp();

it('counts the CPU the process spent before the first scrape', async () => {
  const started = process.cpuUsage();
  // About 200 ms of CPU before anyone scrapes.
  while (process.cpuUsage(started).user < 200_000) Math.sqrt(Math.random());
  const scrape = await ctx.request.get('/metrics');
  expect(scrape.status).toBe(200);
  const user = Number(/^process_cpu_user_seconds_total (\S+)$/m.exec(scrape.text)?.[1]);
  expect(user).toBeGreaterThanOrEqual(0.2);
});
