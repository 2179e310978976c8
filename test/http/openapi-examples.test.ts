import { describe, expect, it } from 'vitest';
import { exampleApp } from '../../scripts/openapi-document.js';
import { buildApp } from '../../src/http/app.js';
import { EXAMPLE_STEPS, PLAN_EXAMPLES } from '../../src/http/openapi/examples.js';
import { EXAMPLE_ADMIN_TOKEN, runExamples } from '../../src/http/openapi/run-examples.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';

describe('the examples of the OpenAPI document', () => {
  it('give a plan example for every plugin, and one with egress and one from a space', () => {
    const networks = PLAN_EXAMPLES.map(
      (e) => e.design.network as { plugin: string; podIpAllocation?: string },
    );
    expect(new Set(networks.map((n) => n.plugin))).toEqual(
      new Set(['azure-cni-node-subnet', 'azure-cni-overlay', 'azure-cni-pod-subnet', 'kubenet']),
    );
    expect(networks.map((n) => n.podIpAllocation).filter(Boolean)).toEqual(['static-block']);
    expect(PLAN_EXAMPLES.map((e) => e.name)).toEqual(
      expect.arrayContaining(['dual-stack', 'egress', 'from-space']),
    );
  });

  it('every step succeeds as it is, in order, on a fresh database', async () => {
    const app = await exampleApp();
    const results = await runExamples(app, app.swagger() as Record<string, unknown>);
    await app.close();

    const outcomes = results.map((r) => `${r.step.operationId} ${r.step.name} ${r.status}`);
    expect(outcomes).toEqual(EXAMPLE_STEPS.map((s) => `${s.operationId} ${s.name} ${s.status}`));
    for (const r of results) expect(r.status, r.url).toBeLessThan(300);
  });

  it('covers every operation with a request body, and every operation of the API', async () => {
    const app = await buildApp({ store: openSqliteStore(':memory:'), adminToken: EXAMPLE_ADMIN_TOKEN });
    await app.ready();
    type Paths = Record<string, Record<string, { operationId: string; requestBody?: unknown }>>;
    const paths = (app.swagger() as unknown as { paths: Paths }).paths;
    await app.close();
    const covered = new Set(EXAMPLE_STEPS.map((s) => s.operationId));
    const operations = Object.values(paths).flatMap((ops) => Object.values(ops));
    expect(operations.map((o) => o.operationId).filter((id) => !covered.has(id))).toEqual([]);
  });

  it('shows every plan example to the plan planner as a design it accepts without exhausting', async () => {
    const app = await buildApp({ store: openSqliteStore(':memory:'), adminToken: EXAMPLE_ADMIN_TOKEN });
    await app.ready();
    for (const example of PLAN_EXAMPLES.filter((e) => e.name !== 'from-space')) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/calculations',
        payload: example.design,
        headers: { authorization: `Bearer ${EXAMPLE_ADMIN_TOKEN}` },
      });
      expect(res.statusCode, example.name).toBe(200);
      expect(res.json().capacity.verdict, example.name).not.toBe('exhausted');
    }
    await app.close();
  });
});
