/**
 * The request duration histogram is written by hand for speed; prom-client's Histogram is the
 * reference it must match, line for line, for the same observations.
 */
import fc from 'fast-check';
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestDurations } from '../../../src/http/request-durations.js';

const NAME = 'aksip_http_request_duration_seconds';
const HELP = 'Time from the request arriving\nby route \\ method';
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface Observation {
  route: string;
  method: string;
  status: number;
  seconds: number;
}

async function promClientText(observations: readonly Observation[]): Promise<string> {
  const registry = new Registry();
  const histogram = new Histogram({
    name: NAME,
    help: HELP,
    labelNames: ['route', 'method', 'status_class'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  for (const { route, method, status, seconds } of observations)
    histogram.observe({ route, method, status_class: `${Math.floor(status / 100)}xx` }, seconds);
  return (await registry.metrics()).trimEnd();
}

function ownText(observations: readonly Observation[]): string {
  const durations = new RequestDurations(NAME, HELP, BUCKETS);
  for (const { route, method, status, seconds } of observations)
    durations.observe(route, method, status, seconds);
  return durations.exposition();
}

const observation = fc.record({
  route: fc.constantFrom('/v1/lookup', '/v1/plans/:id', 'unmatched', '/x/"quoted"\\path\nline'),
  method: fc.constantFrom('GET', 'POST', 'DELETE'),
  status: fc.integer({ min: 100, max: 599 }),
  // The bounds themselves belong to their bucket (le: less than or equal).
  seconds: fc.oneof(fc.constantFrom(0, ...BUCKETS, 31), fc.double({ min: 0, max: 60, noNaN: true })),
});

describe('RequestDurations', () => {
  it("writes what prom-client's Histogram writes for the same observations", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(observation, { maxLength: 40 }), async (observations) => {
        expect(ownText(observations)).toBe(await promClientText(observations));
      }),
      { numRuns: 200 },
    );
  });

  it('counts a bound in its own bucket, and what is past the last bound only in +Inf', () => {
    const text = ownText([
      { route: '/v1/lookup', method: 'GET', status: 200, seconds: 0.001 },
      { route: '/v1/lookup', method: 'GET', status: 204, seconds: 0.0011 },
      { route: '/v1/lookup', method: 'GET', status: 299, seconds: 45 },
    ]);
    const labels = 'route="/v1/lookup",method="GET",status_class="2xx"';
    expect(text).toContain(`${NAME}_bucket{le="0.001",${labels}} 1\n`);
    expect(text).toContain(`${NAME}_bucket{le="0.0025",${labels}} 2\n`);
    expect(text).toContain(`${NAME}_bucket{le="30",${labels}} 2\n`);
    expect(text).toContain(`${NAME}_bucket{le="+Inf",${labels}} 3\n`);
    expect(text).toContain(`${NAME}_sum{${labels}} ${0.001 + 0.0011 + 45}\n`);
    expect(text.endsWith(`${NAME}_count{${labels}} 3`)).toBe(true);
  });
});
