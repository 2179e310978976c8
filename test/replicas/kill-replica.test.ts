/**
 * A replica killed with SIGKILL in the middle of writes: PostgreSQL rolls back what it had not
 * committed, so another replica reads every acknowledged write, whole, and nothing half-written.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Request } from '../http/support/app.js';
import { everyItem, replicas, useReplicaCleanup } from './support.js';

useReplicaCleanup();

const ADMIN = 'kill-test-admin-token-0123456789abcdef';
const SERVER = new URL('../../src/server.ts', import.meta.url).pathname;

/** The service in its own process on `url`; answers its base URL once it listens. */
async function replicaProcess(url: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      ADMIN_TOKEN: ADMIN,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /Swagger UI at http:\/\/localhost:(\d+)\/docs/.exec(output)?.[1];
      if (port !== undefined) resolve(`http://127.0.0.1:${port}`);
    });
    child.once('exit', (code) => reject(new Error(`the replica exited with ${code}: ${output}`)));
  });
  child.stdout?.resume();
  return { child, base };
}

const fromCorp = (name: string) => ({
  name,
  network: { plugin: 'azure-cni-node-subnet', nodeSubnet: { fromSpace: 'corp' } },
  nodePools: [{ name: 'system', nodeCount: 3 }],
});

describe('a replica killed with SIGKILL mid-write', () => {
  it('leaves every acknowledged plan readable from another replica, and nothing partial', async () => {
    const {
      url,
      requests: [b],
    } = await replicas(1);
    expect((await b?.post('/v1/spaces').send({ name: 'corp', cidrs: ['10.128.0.0/12'] }))?.status).toBe(201);
    const { child, base } = await replicaProcess(url);
    const acknowledged: string[] = [];
    const send = (i: number) =>
      fetch(`${base}/v1/plans`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify(fromCorp(`plan-${i}`)),
      }).then(
        (res) => {
          if (res.status === 201) acknowledged.push(`plan-${i}`);
          return res.status;
        },
        () => 'cut',
      );
    // Writes keep coming until the replica dies under them.
    const inFlight: Promise<unknown>[] = [];
    for (let i = 0; acknowledged.length < 40; i++) {
      if (i === 400)
        throw new Error(`only ${acknowledged.length} of 400 writes acknowledged: ${await inFlight.at(-1)}`);
      inFlight.push(send(i));
      if (i % 8 === 7) await inFlight.at(-1);
    }
    for (let i = 1000; i < 1016; i++) inFlight.push(send(i));
    child.kill('SIGKILL');
    await once(child, 'exit');
    // Some writes were cut by the kill: it came in the middle of the work.
    expect(await Promise.all(inFlight)).toContain('cut');

    const observer = b as Request;
    const plans = await everyItem<{ id: string; name: string }>(observer, '/v1/plans');
    expect(plans.map((p) => p.name)).toEqual(expect.arrayContaining(acknowledged));
    const allocations = await everyItem<{ planId: string | null }>(observer, '/v1/spaces/corp/allocations');
    // Each stored plan has its one block, and no block outlived a plan that was not stored.
    expect(allocations.map((a) => a.planId).sort()).toEqual(plans.map((p) => p.id).sort());
    const created = await everyItem(observer, '/v1/audit', { action: 'plan.create' });
    expect(created).toHaveLength(plans.length);
    // No lock or connection of the dead replica holds the space.
    expect(
      (await b?.post('/v1/spaces/corp/allocations').send({ prefixLength: 24, purpose: 'after' }))?.status,
    ).toBe(201);
  }, 60_000);
});
