/**
 * The aks-ip command as a pipeline runs it: the TypeScript built (tsconfig.build.json, as
 * `npm run build` does) into a directory of its own, then each command run as a process.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cidr } from '../../src/domain/ip/index.js';
import { buildApp } from '../../src/http/app.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import * as az from '../domain/imports/az-fixtures.js';
import { freshDatabase } from '../support/postgres.js';

const run = promisify(execFile);
const ROOT = resolve(new URL('../..', import.meta.url).pathname);
let dir: string;
let bin: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aksip-cli-'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(ROOT, 'migrations'), join(dir, 'migrations'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  execFileSync(join(ROOT, 'node_modules/.bin/tsc'), [
    '-p',
    join(ROOT, 'tsconfig.build.json'),
    '--outDir',
    join(dir, 'dist'),
  ]);
  bin = join(dir, 'dist/cli.js');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs aks-ip; answers its output and exit status, whatever the status. */
async function aksIp(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

// /24, maxPods 30: (3 + 1 surge) x 31 = 124 of 251 usable -> ok; at maxCount 9: (9 + 1) x 31 = 310 -> exhausted.
const fits = () =>
  file(
    'fits.yaml',
    'name: prod\nnetwork:\n  plugin: azure-cni-node-subnet\n  nodeSubnet: 10.240.0.0/24\nnodePools:\n  - name: system\n    nodeCount: 3\n',
  );
const tooBig = () =>
  file(
    'big.json',
    JSON.stringify({
      name: 'big',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3, minCount: 3, maxCount: 9 }],
    }),
  );

describe('aks-ip calc: the capacity gate of a pull request', () => {
  it('prints the verdict and a table, exit 0 when it fits', async () => {
    const { code, stdout } = await aksIp(['calc', fits()]);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('prod: ok');
    expect(stdout).toMatch(/^node-subnet\s+10\.240\.0\.0\/24\s+251\s+93\s+93\s+124\s+127\s+49%\s+ok$/m);
    expect(stdout).not.toContain('\u001b['); // no colours when not a terminal
  });

  it('exits 1 when the verdict reaches --fail-on', async () => {
    expect((await aksIp(['calc', tooBig()])).code).toBe(1);
    const json = await aksIp(['calc', tooBig(), '--output', 'json', '--fail-on', 'exhausted']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).capacity.ranges[0]).toMatchObject({ verdict: 'exhausted', free: -59 });
    expect((await aksIp(['calc', fits(), '--fail-on', 'at-risk'])).code).toBe(0);
  });

  it('exits 2 on an invalid design, listing every problem', async () => {
    const bad = file('bad.json', '{"name":"x","network":{"nodeSubnet":"10.0.0.0/33"},"nodePools":[]}');
    const { code, stderr } = await aksIp(['calc', bad]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^aks-ip: .*bad\.json is not a valid design:\n {2}\S/);
    expect(stderr.split('\n').length).toBeGreaterThan(2);
  });

  it('refuses a design taking ranges from spaces, which only a server allocates', async () => {
    const spaced = file(
      'spaced.json',
      JSON.stringify({
        name: 's',
        network: { nodeSubnet: { fromSpace: 'corp' } },
        nodePools: [{ name: 'system', nodeCount: 1 }],
      }),
    );
    const { code, stderr } = await aksIp(['calc', spaced]);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /takes ranges from address spaces \(\{ fromSpace \}\): those are allocated by a server/,
    );
  });

  it('says in one line what is wrong with a file or an option', async () => {
    expect(await aksIp(['calc', join(dir, 'missing.json')])).toMatchObject({
      code: 1,
      stderr: `aks-ip: ${join(dir, 'missing.json')} cannot be read: ENOENT\n`,
    });
    const wrong = await aksIp(['calc', fits(), '--output', 'xml']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("error: option '--output <format>' argument 'xml' is invalid");
  });
});

describe('aks-ip export and import', () => {
  it('writes Terraform, an az script and Bicep', async () => {
    const terraform = await aksIp(['export', fits(), '--format', 'terraform']);
    expect(terraform.stdout).toContain('address_prefixes = ["10.240.0.0/24"]');
    expect((await aksIp(['export', fits(), '--format', 'az-cli'])).stdout).toMatch(/^#!\/usr\/bin\/env bash/);
    expect((await aksIp(['export', fits(), '--format', 'bicep'])).stdout).toContain(
      'managedClusters@2024-09-01',
    );
  });

  it('prints the design of a running cluster, warnings on stderr', async () => {
    const cluster = file('aks.json', JSON.stringify(az.kubenet));
    const subnets = file('subnets.json', JSON.stringify([az.subnet('legacy-nodes', '10.20.0.0/24')]));
    const { code, stdout, stderr } = await aksIp(['import', '--cluster', cluster, '--subnets', subnets]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).network).toMatchObject({ plugin: 'kubenet', nodeSubnet: '10.20.0.0/24' });
    expect(stderr).toBe(
      'warning: cluster.networkProfile.networkPolicy: network policy calico is not part of the address plan\n',
    );
    const missing = await aksIp(['import', '--cluster', cluster]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cluster.agentPoolProfiles[0].vnetSubnetId: no subnet JSON');
  });
});

describe('aks-ip dump and restore', () => {
  it('moves a SQLite database into PostgreSQL', async () => {
    const database = join(dir, 'ipam.db');
    const store = openSqliteStore(database);
    await store.spaces.createSpace({
      name: 'corp',
      description: null,
      cidrs: [Cidr.parse('10.0.0.0/16')],
      labels: {},
    });
    await store.close();
    const dump = join(dir, 'ipam.jsonl');
    expect(await aksIp(['dump', '--out', dump], { DATABASE_PATH: database })).toMatchObject({
      code: 0,
      stderr: expect.stringMatching(/^dumped \d+ rows\n$/),
    });
    const pg = await freshDatabase();
    try {
      const restored = await aksIp(['restore', dump], { DATABASE_URL: pg.url });
      expect(restored).toMatchObject({ code: 0, stderr: expect.stringContaining('spaces 1') });
      expect(await aksIp(['restore', dump], { DATABASE_URL: pg.url })).toMatchObject({
        code: 1,
        stderr: 'aks-ip: the database is not empty (spaces has rows): restore into a new database\n',
      });
    } finally {
      await pg.drop();
    }
  });
});

describe('aks-ip lookup, against a server', () => {
  const token = 'cli-test-admin-token-0123456789abcdef';
  let server: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const app = await buildApp({ store: openSqliteStore(':memory:'), adminToken: token });
    await app.listen({ port: 0, host: '127.0.0.1' });
    server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    close = () => app.close();
    await fetch(`${server}/v1/plans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'prod',
        network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/24' },
        nodePools: [{ name: 'system', nodeCount: 3 }],
      }),
    });
  });
  afterAll(() => close());

  it('names plan, pool, node and role per address, server and token from the environment', async () => {
    const { code, stdout } = await aksIp(['lookup', '10.240.0.35', '192.168.1.1'], {
      AKS_IP_SERVER: server,
      AKS_IP_TOKEN: token,
    });
    expect(code).toBe(0);
    expect(stdout.split('\n').map((l) => l.split(/\s+/).join(' '))).toEqual([
      'ip plan pool node role',
      '10.240.0.35 prod system 10.240.0.35 node',
      '192.168.1.1 - - - no plan',
      '',
    ]);
  });

  it('annotates a CSV flow log with the owner of a column', async () => {
    const flows = file('flows.csv', 'time,srcIp,bytes\n2026-01-05T09:00:00Z,10.240.0.8,1200\n');
    const { stdout } = await aksIp([
      'lookup',
      '--file',
      flows,
      '--column',
      'srcIp',
      '--server',
      server,
      '--token',
      token,
    ]);
    expect(stdout).toBe(
      'time,srcIp,bytes,planName,role,pool,nodeIndex,nodeIp,matchCount,error\n2026-01-05T09:00:00Z,10.240.0.8,1200,prod,pod,system,0,10.240.0.4,1,\n',
    );
  });

  it('records what kubectl says of the cluster, then names the pod that holds an address', async () => {
    const nodes = {
      items: [
        {
          metadata: { name: 'aks-system-0', labels: { 'kubernetes.azure.com/agentpool': 'system' } },
          status: { addresses: [{ type: 'InternalIP', address: '10.240.0.4' }] },
        },
      ],
    };
    const pods = {
      items: [
        {
          metadata: { name: 'web-1', namespace: 'shop', uid: 'dropped', labels: { app: 'web' } },
          spec: { nodeName: 'aks-system-0', containers: [{ name: 'web', image: 'web:1' }] },
          status: { podIP: '10.240.0.9', phase: 'Running' },
        },
      ],
    };
    // A kubectl that answers from files, as a CronJob's would from the cluster.
    const kubectl = file(
      'kubectl',
      `#!/bin/sh\nif [ "$2" = nodes ]; then cat ${file('nodes.json', JSON.stringify(nodes))}; else cat ${file('pods.json', JSON.stringify(pods))}; fi\n`,
    );
    execFileSync('chmod', ['+x', kubectl]);
    const recorded = await aksIp(['record', '--plan', 'prod', '--kubectl', kubectl], {
      AKS_IP_SERVER: server,
      AKS_IP_TOKEN: token,
    });
    expect(recorded.stderr).toBe('');
    expect(recorded.stdout).toMatch(
      /^recorded 1 nodes and 1 pod addresses \(1 new, 0 gone\) in prod at \d{4}-/,
    );
    const res = await fetch(`${server}/v1/lookup?ip=10.240.0.9`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { matches } = (await res.json()) as { matches: { pod?: { name: string }; nodeName?: string }[] };
    expect(matches.map((m) => [m.pod?.name, m.nodeName])).toEqual([['web-1', 'aks-system-0']]);
  });

  it('says what the server refused, in one line', async () => {
    const { code, stderr } = await aksIp(['lookup', '10.240.0.8', '--server', server, '--token', 'wrong']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^aks-ip: the server answered 401 UNAUTHENTICATED: .+\n$/);
  });
});
