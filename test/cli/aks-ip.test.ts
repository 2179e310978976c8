/**
 * The aks-ip command as a pipeline runs it: the TypeScript built (tsconfig.build.json, as
 * `npm run build` does) into a directory of its own, then each command run as a process.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
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
  // The package's own version: the CLI reads it from package.json, as an installed one does.
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', version }));
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

/** aks-ip record of plan prod, from kubectl files. */
const recordInProd = (nodes: string, pods: string, server: string) =>
  aksIp(['record', '--plan', 'prod', '--nodes', nodes, '--pods', pods, '--server', server]);

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
    // Numbers are right-aligned: the service CIDR's 0% under the node subnet's 49%.
    expect(stdout).toMatch(/^service-cidr\s+10\.0\.0\.0\/16\s+65534\s+2\s+2\s+2\s+65532 {3}0% {2}ok$/m);
    expect(stdout).not.toContain('\u001b['); // no colours when not a terminal
  });

  it('says there are no SNAT ports to count where AKS gives no outbound IP', async () => {
    const isolated = file(
      'isolated.json',
      JSON.stringify({
        name: 'isolated',
        network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/24', privateCluster: true },
        nodePools: [{ name: 'system', nodeCount: 3 }],
        outbound: { type: 'none' },
      }),
    );
    const { code, stdout } = await aksIp(['calc', isolated]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^SNAT: none \(outbound type none\)$/m);
    expect(stdout).not.toContain('ports for');
  });

  it('exits 1 when the verdict reaches --fail-on', async () => {
    expect((await aksIp(['calc', tooBig()])).code).toBe(1);
    const json = await aksIp(['calc', tooBig(), '--output', 'json', '--fail-on', 'exhausted']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).capacity.ranges[0]).toMatchObject({ verdict: 'exhausted', free: -59 });
    expect((await aksIp(['calc', fits(), '--fail-on', 'at-risk'])).code).toBe(0);
  });

  it('prints as JSON what POST /v1/calculations answers for the design: its VNet and first node slots too', async () => {
    const design = JSON.parse(readFileSync(tooBig(), 'utf8'));
    const { stdout } = await aksIp(['calc', tooBig(), '--output', 'json']);
    const app = await buildApp({
      store: openSqliteStore(':memory:'),
      adminToken: 'cli-json-admin-token-0123456789abcdef',
    });
    try {
      const answer = await app.inject({
        method: 'POST',
        url: '/v1/calculations',
        headers: { authorization: 'Bearer cli-json-admin-token-0123456789abcdef' },
        payload: design,
      });
      expect(JSON.parse(stdout)).toEqual(answer.json());
    } finally {
      await app.close();
    }
  });

  it('exits 2 on an invalid design, listing every problem', async () => {
    const bad = file('bad.json', '{"name":"x","network":{"nodeSubnet":"10.0.0.0/33"},"nodePools":[]}');
    const { code, stderr } = await aksIp(['calc', bad]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^aks-ip: .*bad\.json is not a valid design:\n {2}\S/);
    expect(stderr.split('\n').length).toBeGreaterThan(2);
  });

  it('prints the values a design quotes as escapes, one problem a line', async () => {
    // A pull request's design runs in CI logs and on reviewers' terminals.
    const hostile = file(
      'hostile.json',
      JSON.stringify({
        name: 'x\u001b]0;owned\u0007\u001b[2J',
        network: { nodeSubnet: '10.0.0.0/24\n  network.fake: forged line\u202e' },
        nodePools: [{ name: 'system', nodeCount: 1 }],
      }),
    );
    const { code, stderr } = await aksIp(['calc', hostile]);
    expect(code).toBe(2);
    expect(stderr).toContain('"x\\u001b]0;owned\\u0007\\u001b[2J"');
    expect(stderr).toContain('\\u000a  network.fake: forged line\\u202e');
    for (const hidden of ['\u001b', '\u0007', '\u202e']) expect(stderr).not.toContain(hidden);
    expect(stderr.split('\n').filter((line) => line.startsWith('  network.fake'))).toEqual([]);
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

  it('says in one line what is wrong with a file or an option, exit 2: not the gate', async () => {
    expect(await aksIp(['calc', join(dir, 'missing.json')])).toMatchObject({
      code: 2,
      stderr: `aks-ip: ${join(dir, 'missing.json')} cannot be read: ENOENT\n`,
    });
    expect(await aksIp(['calc', dir])).toMatchObject({
      code: 2,
      stderr: `aks-ip: ${dir} cannot be read: EISDIR\n`,
    });
    const yaml = await aksIp(['calc', file('broken.yaml', 'name: x\nnodePools: [\n')]);
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toMatch(/^aks-ip: .*broken\.yaml is not JSON or YAML: [^\n]*[^:]\n$/);
    const json = await aksIp(['calc', file('broken.json', '{"name": "x",, }')]);
    expect(json).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/broken\.json is not valid JSON: .+\n$/),
    });
    const tagged = await aksIp(['calc', file('tagged.yaml', 'name: !custom x\n')]);
    expect(tagged.code).toBe(2);
    expect(tagged.stderr.split('\n')).toHaveLength(2);
    const wrong = await aksIp(['calc', fits(), '--output', 'xml']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(
      "error: option '--output <format>' argument 'xml' is invalid. Allowed choices are table, json.\n(add --help for usage)\n",
    );
    expect((await aksIp(['calc', fits(), '--bogus'])).code).toBe(2);
    const aliases = Array.from({ length: 150 }, (_, i) => `k${i}: *a`).join('\n');
    const bomb = await aksIp(['calc', file('bomb.yaml', `a: &a [1, 2]\n${aliases}\n`)]);
    expect(bomb.code).toBe(2);
    expect(bomb.stderr).toMatch(/^aks-ip: .*bomb\.yaml is not JSON or YAML: .+\n$/);
    // A pipe is read as a file is (process substitution in a pipeline).
    const piped = await run('bash', ['-c', `"${process.execPath}" "${bin}" calc <(cat "${fits()}")`]);
    expect(piped.stdout.split('\n')[0]).toBe('prod: ok');
  });

  it('reads UTF-16 with a byte order mark, as Windows PowerShell 5 writes it, and a UTF-8 one', async () => {
    const text = 'name: prod\nnodePools:\n  - name: system\n    nodeCount: 3\n';
    const utf16 = join(dir, 'utf16.yaml');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const bom = join(dir, 'bom.json');
    writeFileSync(
      bom,
      `\ufeff${JSON.stringify({ name: 'prod', nodePools: [{ name: 'system', nodeCount: 3 }] })}`,
    );
    const bigEndian = join(dir, 'utf16be.yaml');
    writeFileSync(
      bigEndian,
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
    );
    for (const path of [utf16, bigEndian, bom])
      expect((await aksIp(['calc', path])).stdout.split('\n')[0]).toBe('prod: ok');
    const latin1 = join(dir, 'latin1.yaml');
    writeFileSync(latin1, Buffer.from('name: caf\xe9\n', 'latin1'));
    expect(await aksIp(['calc', latin1])).toMatchObject({
      code: 2,
      stderr: `aks-ip: ${latin1} is not UTF-8 text\n`,
    });
  });

  it('lists the VNet in the table, with the subnets that found no room: the reason for its verdict', async () => {
    const noRoom = file(
      'noroom.json',
      JSON.stringify({
        name: 'noroom',
        network: {
          plugin: 'azure-cni-overlay',
          vnetAddressSpace: ['10.240.0.0/24'],
          nodeSubnet: '10.240.0.0/25',
        },
        nodePools: [{ name: 'system', nodeCount: 3 }],
        platformSubnets: [{ role: 'azure-firewall' }, { role: 'bastion' }, { role: 'gateway' }],
      }),
    );
    const { code, stdout } = await aksIp(['calc', noRoom]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^vnet\s+10\.240\.0\.0\/24\s+256\s+-\s+-\s+256\s+0\s+100%\s+exhausted$/m);
    expect(stdout).toContain('No room in the VNet for: GatewaySubnet: exhausted');
  });

  it('stops quietly when its reader does (a pipe to head)', async () => {
    // 60 pools on subnets of their own: a map of about 140 KB, more than a pipe holds.
    const nodePools = Array.from({ length: 60 }, (_, i) => ({
      name: i === 0 ? 'system' : `p${i}`,
      nodeCount: 3,
      nodeSubnet: `10.${i + 1}.0.0/24`,
    }));
    const wide = file(
      'wide.json',
      JSON.stringify({ name: 'wide', network: { plugin: 'azure-cni-overlay' }, nodePools }),
    );
    const command = `set -o pipefail; "${process.execPath}" "${bin}" map "${wide}" | head -c 5`;
    const { stdout, stderr } = await run('bash', ['-c', command]);
    expect(stdout).toBe('<svg ');
    expect(stderr).toBe('');
  });

  it('says in one line that standard output failed (a full disk), exit 3: not the gate', async () => {
    const command = `"${process.execPath}" "${bin}" export "${fits()}" --format terraform > /dev/full`;
    const failed = await run('bash', ['-c', command]).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect([failed.code, failed.stderr]).toEqual([
      3,
      'aks-ip: standard output failed: ENOSPC: no space left on device, write\n',
    ]);
  });

  it("prints its version, and a design's warnings on standard error, its table alone on standard output", async () => {
    const version = await aksIp(['--version']);
    expect([version.code, version.stdout]).toEqual([
      0,
      `${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`,
    ]);
    const overlay = file(
      'overlay.json',
      JSON.stringify({ network: { plugin: 'kubenet' }, nodePools: [{ name: 'system', nodeCount: 3 }] }),
    );
    const { code, stdout, stderr } = await aksIp(['calc', overlay]);
    expect(code).toBe(0);
    expect(stderr).toContain('warning: KUBENET_RETIREMENT: ');
    expect(stdout).not.toContain('KUBENET_RETIREMENT');
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
    const policy = (networkPolicy: string) => ({
      ...az.kubenet,
      networkProfile: { ...az.kubenet.networkProfile, networkPolicy },
    });
    const hostile = file('hostile.json', JSON.stringify(policy('calico\u001b[2J\nwarning: forged')));
    const escaped = await aksIp(['import', '--cluster', hostile, '--subnets', subnets]);
    expect(escaped.stderr).toBe(
      'warning: cluster.networkProfile.networkPolicy: network policy calico\\u001b[2J\\u000awarning: forged is not part of the address plan\n',
    );
    const missing = await aksIp(['import', '--cluster', cluster]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cluster.agentPoolProfiles[0].vnetSubnetId: no subnet JSON');
  });

  it('prints no design that does not plan: exit 2 with its problems, as calc would say them', async () => {
    const cluster = file('aks.json', JSON.stringify(az.kubenet));
    const garbage = file(
      'garbage.json',
      JSON.stringify([{ ...az.subnet('legacy-nodes', '10.20.0.0/24'), addressPrefix: 'garbage' }]),
    );
    const bad = await aksIp(['import', '--cluster', cluster, '--subnets', garbage]);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toMatch(
      /^(warning: .+\n)*aks-ip: the design read from the cluster is not a valid design:\n/,
    );
    expect(bad.stderr).toContain('network.nodeSubnet');
    const subnets = file('subnets.json', JSON.stringify([az.subnet('legacy-nodes', '10.20.0.0/24')]));
    const unnamed = await aksIp(['import', '--cluster', cluster, '--subnets', subnets, '--name', '']);
    expect(unnamed).toMatchObject({ code: 2, stdout: '' });
    expect(unnamed.stderr).toContain('is not a valid design');
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
        code: 3,
        stderr: 'aks-ip: the database is not empty (spaces has rows): restore into a new database\n',
      });
    } finally {
      await pg.drop();
    }
  });

  it('refuses to dump a database that is not there, and to restore a dump that is not there', async () => {
    const missing = join(dir, 'nowhere', 'ipam.db');
    expect(await aksIp(['dump'], { DATABASE_PATH: missing })).toMatchObject({
      code: 3,
      stdout: '',
      stderr: `aks-ip: no database at ${missing}: check DATABASE_PATH\n`,
    });
    const fresh = join(dir, 'fresh.db');
    const restored = await aksIp(['restore', join(dir, 'no-dump.jsonl')], { DATABASE_PATH: fresh });
    expect(restored).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no-dump.jsonl cannot be read (ENOENT)'),
    });
    expect(existsSync(fresh)).toBe(false);
  });

  it("blames a dump file that cannot be read, written or parsed on the file: the command's input, exit 2", async () => {
    const db = { DATABASE_PATH: join(dir, 'input.db') };
    expect(await aksIp(['restore', dir], db)).toEqual({
      code: 2,
      stdout: '',
      stderr: `aks-ip: ${dir} cannot be read (EISDIR)\n`,
    });
    const half = file('half.jsonl', '{"format":');
    expect(await aksIp(['restore', half], db)).toEqual({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(new RegExp(`^aks-ip: ${half}: line 1: .+\n$`)),
    });
    // The restore wrote nothing, and the database file it created is gone with it.
    expect(existsSync(db.DATABASE_PATH)).toBe(false);
    await openSqliteStore(db.DATABASE_PATH).close();
    const existing = file('taken.jsonl', '');
    expect(await aksIp(['dump', '--out', existing], db)).toEqual({
      code: 2,
      stdout: '',
      stderr: `aks-ip: ${existing} cannot be created (EEXIST): give a new file name\n`,
    });
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

  it('says how many matches an address has beyond those shown, and shows more with --limit-per-ip', async () => {
    const env = { AKS_IP_SERVER: server, AKS_IP_TOKEN: token };
    for (const name of ['ov1', 'ov2', 'ov3'])
      await fetch(`${server}/v1/plans`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name,
          network: { plugin: 'azure-cni-overlay' },
          nodePools: [{ name: 'system', nodeCount: 3 }],
        }),
      });
    const cut = await aksIp(['lookup', '10.244.0.9', '--limit-per-ip', '2'], env);
    expect(cut.code).toBe(0);
    expect(cut.stdout.split('\n').at(-2)?.split(/\s+/).join(' ')).toBe(
      '10.244.0.9 1 more - - not shown (--limit-per-ip)',
    );
    const all = await aksIp(['lookup', '10.244.0.9', '--limit-per-ip', '3'], env);
    expect(all.stdout).not.toContain('not shown');
    expect((await aksIp(['lookup', '10.244.0.9', '--limit-per-ip', '0'], env)).code).toBe(2);
    // Past what the server takes is the command's input too, not a refusal of the server's.
    const over = await aksIp(['lookup', '10.244.0.9', '--limit-per-ip', '1001'], env);
    expect([over.code, over.stderr]).toEqual([2, expect.stringContaining('expected at most 1000')]);
    // So is a product the server would refuse (201 x 1,000 > 200,000 matches).
    const many = Array.from({ length: 201 }, (_, i) => `10.244.0.${i % 250}`);
    const product = await aksIp(['lookup', ...many, '--limit-per-ip', '1000'], env);
    expect([product.code, product.stderr]).toEqual([
      2,
      expect.stringContaining('could answer more than 200000'),
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
      'time,srcIp,bytes,planName,role,pool,nodeIndex,nodeIp,nodeName,matchCount,error\n2026-01-05T09:00:00Z,10.240.0.8,1200,prod,pod,system,0,10.240.0.4,,1,\n',
    );
    // "-" is standard input, as calc reads it.
    const piped = await run('bash', [
      '-c',
      `"${process.execPath}" "${bin}" lookup --file - --server ${server} --token ${token} < "${flows}"`,
    ]);
    expect(piped.stdout).toBe(stdout);
    // The column in any case, as the server matches the header's.
    const upper = await aksIp([
      'lookup',
      '--file',
      flows,
      '--column',
      'SRCIP',
      '--server',
      server,
      '--token',
      token,
    ]);
    expect(upper).toMatchObject({ code: 0, stdout });
  });

  it('records what kubectl says of the cluster, then names the pod that holds an address', async () => {
    const nodes = {
      items: [
        {
          metadata: { name: 'aks-system-0', labels: { 'kubernetes.azure.com/agentpool': 'system' } },
          status: { addresses: [{ type: 'InternalIP', address: '10.240.0.4' }] },
        },
        {
          metadata: { name: 'virtual-node-aci-linux', labels: { type: 'virtual-kubelet' } },
          status: { addresses: [{ type: 'InternalIP', address: '10.240.0.77' }] },
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
        {
          metadata: { name: 'burst-1', namespace: 'shop' },
          spec: { nodeName: 'virtual-node-aci-linux' },
          status: { podIP: '10.241.0.5', phase: 'Running' },
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
      /^recorded 1 nodes \(not recorded, in no pool: virtual-node-aci-linux\) and 2 pod addresses \(2 new, 0 gone\) in prod at \d{4}-/,
    );
    const res = await fetch(`${server}/v1/lookup?ip=10.240.0.9`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { matches } = (await res.json()) as { matches: { pod?: { name: string }; nodeName?: string }[] };
    expect(matches.map((m) => [m.pod?.name, m.nodeName])).toEqual([['web-1', 'aks-system-0']]);
    // An item that is no pod is the server's to refuse, at its index.
    const nullPod = file('null-pod.json', '{"items":[null]}');
    const refused = await aksIp(
      ['record', '--plan', 'prod', '--nodes', join(dir, 'nodes.json'), '--pods', nullPod, '--server', server],
      { AKS_IP_TOKEN: token },
    );
    // The nodes were recorded before the pods were refused: said, for a pipeline that retries.
    expect(refused).toMatchObject({
      code: 3,
      stderr:
        'aks-ip: 1 node recorded, the pods not: the server answered 422 KUBECTL_PODS_INVALID: a pod item must be an object (at items[0])\n',
    });
    // kubectl's own words when it fails, not only that it did.
    const denied = file(
      'denied-kubectl',
      '#!/bin/sh\necho "error: You must be logged in to the server (Unauthorized)" >&2\nexit 1\n',
    );
    execFileSync('chmod', ['+x', denied]);
    const unauthorized = await aksIp(['record', '--plan', 'prod', '--kubectl', denied, '--server', server], {
      AKS_IP_TOKEN: token,
    });
    expect(unauthorized).toMatchObject({
      code: 3,
      stderr:
        'aks-ip: kubectl get nodes -o json failed: error: You must be logged in to the server (Unauthorized)\n',
    });
  });

  it('says what the server refused, in one line', async () => {
    const { code, stderr } = await aksIp(['lookup', '10.240.0.8', '--server', server, '--token', 'wrong']);
    expect(code).toBe(3);
    expect(stderr).toMatch(/^aks-ip: the server answered 401 UNAUTHENTICATED: .+\n$/);
  });

  it('refuses a token that cannot be one without printing it (exit 2)', async () => {
    const secret = 'aksip_0123456789abcdef';
    const broken = await aksIp(['lookup', '10.240.0.8', '--server', server], {
      AKS_IP_TOKEN: `${secret}\nsecond`,
    });
    expect(broken).toMatchObject({ code: 2, stderr: expect.stringMatching(/^aks-ip: the token .+\n$/) });
    expect(broken.stderr).not.toContain(secret);
    // Nor a space inside it: the token was pasted with another word.
    const spaced = await aksIp(['lookup', '10.240.0.8', '--server', server], {
      AKS_IP_TOKEN: `${secret} second`,
    });
    expect(spaced).toMatchObject({ code: 2, stderr: expect.stringMatching(/^aks-ip: the token .+\n$/) });
    // The line break a file or a mounted secret ends with is not part of the token.
    const { code, stdout } = await aksIp([
      'lookup',
      '10.240.0.35',
      '--server',
      server,
      '--token',
      `${token}\n`,
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('prod');
  });

  it('blames a file it cannot read on the file, not on the server (exit 2)', async () => {
    const missing = join(dir, 'missing.csv');
    expect(await aksIp(['lookup', '--file', missing, '--server', server, '--token', token])).toMatchObject({
      code: 2,
      stderr: `aks-ip: ${missing} cannot be read: ENOENT\n`,
    });
    const record = await aksIp([
      'record',
      '--plan',
      'prod',
      '--nodes',
      missing,
      '--server',
      server,
      '--token',
      token,
    ]);
    expect(record).toMatchObject({ code: 2, stderr: `aks-ip: ${missing} cannot be read: ENOENT\n` });
    const notAList = file('null.json', 'null');
    const pods = await recordInProd(notAList, notAList, server);
    expect(pods).toMatchObject({
      code: 2,
      stderr: `aks-ip: ${notAList} is not a kubectl list: expected an object with items\n`,
    });
    const column = await aksIp(['lookup', '--file', missing, '--column', 'SourceIp', '--server', server]);
    expect(column.code).toBe(2);
    expect(column.stderr).toContain('Allowed choices are ip, src, srcIp, dst, dstIp.');
  });

  it('says when the server is not the planner: a 200 that is not JSON', async () => {
    const portal = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>'),
    );
    await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
    try {
      expect(await aksIp(['lookup', '10.240.0.8', '--server', url])).toMatchObject({
        code: 3,
        stderr: `aks-ip: ${url}/v1/lookup answered 200 with text/html, not JSON: is --server the planner?\n`,
      });
    } finally {
      portal.close();
    }
  });

  it('says when the server is not the planner: an answer of another shape, CSV that is not CSV', async () => {
    const other = await fakeServer((req, res) => {
      const path = req.url ?? '';
      const json = (body: unknown) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      req.resume();
      if (path.startsWith('/v1/lookup?'))
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
      else if (path === '/v1/lookup') json({ results: [{ ip: '10.240.0.8' }] });
      else json({});
    });
    try {
      const csv = file('flows.csv', 'ip\n10.240.0.8\n');
      expect(await aksIp(['lookup', '--file', csv, '--column', 'ip', '--server', other.url])).toEqual({
        code: 3,
        stdout: '',
        stderr: `aks-ip: ${other.url}/v1/lookup?column=ip answered 200 with text/html, not CSV: is --server the planner?\n`,
      });
      expect(await aksIp(['lookup', '10.240.0.8', '--server', other.url])).toEqual({
        code: 3,
        stdout: '',
        stderr: `aks-ip: ${other.url}/v1/lookup answered JSON that is not a lookup answer: is --server the planner?\n`,
      });
      const empty = file('empty-list.json', '{"kind":"List","items":[]}');
      const record = await recordInProd(empty, empty, other.url);
      expect(record).toMatchObject({ code: 3, stdout: '' });
      expect(record.stderr).toMatch(/answered JSON that is not a node import: is --server the planner\?\n$/);
    } finally {
      other.close();
    }
  });

  it('never prints the password of a server URL it cannot read', async () => {
    const { code, stderr } = await aksIp([
      'lookup',
      '10.240.0.8',
      '--server',
      'https://svc:Pa55w0rd@host:44x3',
    ]);
    expect(code).toBe(2);
    expect(stderr).toBe('aks-ip: the server https://***@host:44x3 is not an http:// or https:// URL\n');
    const schemeless = await aksIp(['lookup', '10.240.0.8', '--server', 'svc:Pa55w0rd@host']);
    expect([schemeless.code, schemeless.stderr]).toEqual([
      2,
      'aks-ip: the server ***@host is not an http:// or https:// URL\n',
    ]);
  });
});

/** A server that answers as `handle` says: one that breaks, stalls or only counts what it is sent. */
async function fakeServer(handle: RequestListener): Promise<{ url: string; close: () => void }> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

const CSV_ANSWER = 'ip,planName\n10.240.0.4,prod\n10.240.0.5,prod\n';

describe('aks-ip against a server that breaks, stalls, or takes a large file', () => {
  it('sends a large CSV file in constant memory', async () => {
    // 400,000 rows, 16 MiB: sent with fetch, the whole file stayed in memory until the answer.
    const rows = Array.from({ length: 400_000 }, (_, i) => `2026-01-05T09:00:00Z,10.240.${i >> 8},${i}`);
    const big = file('big.csv', `time,srcIp,bytes\n${rows.join('\n')}\n`);
    // The peak of what the command holds in buffers: collected first, so that garbage is not counted.
    const sampler = file(
      'peak-memory.mjs',
      [
        "import { writeFileSync } from 'node:fs';",
        'let peak = 0;',
        'const sample = () => { globalThis.gc(); peak = Math.max(peak, process.memoryUsage().arrayBuffers); };',
        'setInterval(sample, 20).unref();',
        "process.on('exit', () => { sample(); writeFileSync(process.env.PEAK_FILE, String(peak)); });",
      ].join('\n'),
    );
    let received = 0;
    const counting = await fakeServer((req, res) => {
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/csv' }).end(CSV_ANSWER));
    });
    const peakFile = join(dir, 'peak.txt');
    try {
      const { stdout } = await run(
        process.execPath,
        ['--expose-gc', '--import', sampler, bin, 'lookup', '--file', big, '--server', counting.url],
        { env: { ...process.env, PEAK_FILE: peakFile } },
      );
      expect(stdout).toBe(CSV_ANSWER);
      expect(received).toBe(statSync(big).size);
      // Half the file: the stream's buffers peak at 1-4.4 MiB as the machine's load shifts when
      // the server reads (4.4 in a clean-clone CI run), the whole file held was 16.
      expect(Number(readFileSync(peakFile, 'utf8'))).toBeLessThan(8 * 1024 * 1024);
    } finally {
      counting.close();
    }
  });

  it('says in one line how far an answer came before it broke off, exit 3', async () => {
    const cut = await fakeServer((req, res) => {
      req.resume();
      req.on('end', () =>
        res.writeHead(200, { 'content-type': 'text/csv' }).write(CSV_ANSWER, () => res.socket?.destroy()),
      );
    });
    try {
      const flows = file('two.csv', 'ip\n10.240.0.4\n10.240.0.5\n');
      expect(await aksIp(['lookup', '--file', flows, '--server', cut.url])).toEqual({
        code: 3,
        stdout: CSV_ANSWER,
        stderr: "aks-ip: the server's answer broke off after 2 rows: the connection was closed\n",
      });
    } finally {
      cut.close();
    }
  });

  it('gives up on a server that says nothing for the time limit, exit 3 (AKS_IP_TIMEOUT_MS shortens 120 s)', async () => {
    const silent = await fakeServer((req) => req.resume());
    const stalled = await fakeServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/csv' }).write(CSV_ANSWER);
    });
    const env = { AKS_IP_TIMEOUT_MS: '300' };
    const flows = file('two.csv', 'ip\n10.240.0.4\n10.240.0.5\n');
    const empty = file('empty-list.json', '{"items":[]}');
    try {
      expect(await aksIp(['lookup', '--file', flows, '--server', silent.url], env)).toMatchObject({
        code: 3,
        stderr: `aks-ip: ${silent.url}/v1/lookup did not answer within 0.3 s\n`,
      });
      expect(await aksIp(['lookup', '10.240.0.4', '--server', silent.url], env)).toMatchObject({
        code: 3,
        stderr: `aks-ip: ${silent.url}/v1/lookup did not answer within 0.3 s\n`,
      });
      const record = ['record', '--plan', 'prod', '--nodes', empty, '--pods', empty, '--server', silent.url];
      expect(await aksIp(record, env)).toMatchObject({
        code: 3,
        stderr: expect.stringMatching(
          /^aks-ip: \S+\/v1\/plans\/prod\/node-imports\?\S+ did not answer within 0\.3 s\n$/,
        ),
      });
      expect(await aksIp(['lookup', '--file', flows, '--server', stalled.url], env)).toEqual({
        code: 3,
        stdout: CSV_ANSWER,
        stderr: "aks-ip: the server's answer broke off after 2 rows: nothing came for 0.3 s\n",
      });
    } finally {
      silent.close();
      stalled.close();
    }
  });
});

describe('aks-ip when the server asks it to come back later (429, 503)', () => {
  const problem = (status: number, code: string, retryAfter?: string) => ({
    status,
    headers: {
      'content-type': 'application/problem+json',
      ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
    },
    body: JSON.stringify({ status, code, detail: `${code.toLowerCase()} for now` }),
  });
  type Reply = ReturnType<typeof problem>;
  const ok = (type: string, body: string): Reply => ({
    status: 200,
    headers: { 'content-type': type },
    body,
  });
  const LOOKUP_ANSWER = ok(
    'application/json',
    JSON.stringify({ results: [{ ip: '10.240.0.4', matches: [] }] }),
  );

  /** A server answering each request with the next of `replies` (the last one again when they run out). */
  async function answering(replies: Reply[]) {
    const bodies: string[] = [];
    const server = await fakeServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (part: Buffer) => parts.push(part));
      req.on('end', () => {
        bodies.push(Buffer.concat(parts).toString());
        const reply = replies[Math.min(bodies.length, replies.length) - 1] as Reply;
        res.writeHead(reply.status, reply.headers).end(reply.body);
      });
    });
    return { ...server, bodies };
  }

  it('tries a 503 and a 429 again after their Retry-After, saying so on standard error', async () => {
    const busy = await answering([
      problem(503, 'OVERLOADED', '0'),
      problem(429, 'RATE_LIMITED', '0'),
      LOOKUP_ANSWER,
    ]);
    try {
      const { code, stdout, stderr } = await aksIp(['lookup', '10.240.0.4', '--server', busy.url]);
      expect(code).toBe(0);
      expect(stdout).toContain('10.240.0.4  -     -     -     no plan');
      expect(stderr).toBe(
        'aks-ip: the server answered 503 OVERLOADED: overloaded for now; trying again in 0 s (retry 1 of 3)\n' +
          'aks-ip: the server answered 429 RATE_LIMITED: rate_limited for now; trying again in 0 s (retry 2 of 3)\n',
      );
      expect(busy.bodies).toEqual(Array(3).fill('{"ips":["10.240.0.4"]}'));
    } finally {
      busy.close();
    }
  });

  it("prints a server's words on one line each, whatever they hold", async () => {
    // A proxy or an impostor answering for the server must not forge lines or act on the terminal.
    const forged = await answering([
      {
        status: 422,
        headers: { 'content-type': 'application/problem+json' },
        body: JSON.stringify({
          code: 'X\u001b[2J',
          detail: 'bad\naks-ip: all fine',
          errors: [{ path: 'a\u202eb' }],
        }),
      },
    ]);
    try {
      const { code, stderr } = await aksIp(['lookup', '10.240.0.4', '--server', forged.url]);
      expect(code).not.toBe(0);
      expect(stderr).toBe(
        'aks-ip: the server answered 422 X\\u001b[2J: bad\\u000aaks-ip: all fine (at a\\u202eb)\n',
      );
    } finally {
      forged.close();
    }
    const named = await answering([
      ok(
        'application/json',
        JSON.stringify({
          results: [
            {
              ip: '10.240.0.4',
              matches: [{ planName: 'p\u001b[1m', role: 'pod', pool: 'a\nb', nodeName: 'n' }],
            },
          ],
        }),
      ),
    ]);
    try {
      const { stdout } = await aksIp(['lookup', '10.240.0.4', '--server', named.url]);
      expect(stdout.split('\n')[1]).toBe('10.240.0.4  p\\u001b[1m  a\\u000ab  n     pod');
    } finally {
      named.close();
    }
    // An address the server names with no match is the server's text too.
    const unmatched = await answering([
      ok('application/json', JSON.stringify({ results: [{ ip: '10.240.0.4\u001b[2J\nx', matches: [] }] })),
    ]);
    try {
      const { stdout } = await aksIp(['lookup', '10.240.0.4', '--server', unmatched.url]);
      expect(stdout.split('\n')[1]).toBe('10.240.0.4\\u001b[2J\\u000ax  -     -     -     no plan');
    } finally {
      unmatched.close();
    }
  });

  it('sends a CSV file again from its start, but not standard input, which it read once', async () => {
    const busy = await answering([problem(503, 'DATABASE_UNAVAILABLE', '0'), ok('text/csv', CSV_ANSWER)]);
    const flows = file('retried.csv', 'ip\n10.240.0.4\n10.240.0.5\n');
    try {
      const again = await aksIp(['lookup', '--file', flows, '--server', busy.url]);
      expect(again).toMatchObject({ code: 0, stdout: CSV_ANSWER });
      expect(busy.bodies).toEqual(Array(2).fill('ip\n10.240.0.4\n10.240.0.5\n'));
      busy.bodies.length = 0;
      const piped = await run('sh', [
        '-c',
        `cat '${flows}' | '${process.execPath}' '${bin}' lookup --file - --server ${busy.url}`,
      ]).catch((error: { code: number; stderr: string }) => error);
      expect(piped).toMatchObject({
        code: 3,
        stderr: 'aks-ip: the server answered 503 DATABASE_UNAVAILABLE: database_unavailable for now\n',
      });
      expect(busy.bodies).toHaveLength(1);
    } finally {
      busy.close();
    }
  });

  it('gives up after AKS_IP_RETRIES, on a Retry-After over a minute, and on any other refusal', async () => {
    const always = await answering([problem(503, 'OVERLOADED', '0')]);
    const later = await answering([problem(429, 'RATE_LIMITED', '61')]);
    const refused = await answering([problem(422, 'IP_INVALID')]);
    const lookup = (server: { url: string }, env: Record<string, string> = {}) =>
      aksIp(['lookup', '10.240.0.4', '--server', server.url], env);
    try {
      expect(await lookup(always, { AKS_IP_RETRIES: '1' })).toMatchObject({
        code: 3,
        stderr:
          'aks-ip: the server answered 503 OVERLOADED: overloaded for now; trying again in 0 s (retry 1 of 1)\n' +
          'aks-ip: the server answered 503 OVERLOADED: overloaded for now\n',
      });
      expect(always.bodies).toHaveLength(2);
      expect(await lookup(always, { AKS_IP_RETRIES: '0' })).toMatchObject({ code: 3 });
      expect(always.bodies).toHaveLength(3);
      expect(await lookup(later)).toMatchObject({
        code: 3,
        stderr: 'aks-ip: the server answered 429 RATE_LIMITED: rate_limited for now\n',
      });
      expect(await lookup(refused)).toMatchObject({ code: 3, stderr: expect.not.stringContaining('again') });
      expect([later.bodies.length, refused.bodies.length]).toEqual([1, 1]);
      expect(await lookup(always, { AKS_IP_RETRIES: 'many' })).toMatchObject({
        code: 2,
        stderr: 'aks-ip: AKS_IP_RETRIES must be a whole number from 0 to 10\n',
      });
    } finally {
      for (const server of [always, later, refused]) server.close();
    }
  });

  it('waits 1 s the first time without a Retry-After, and what an HTTP-date one leaves', async () => {
    const dated = await answering([
      problem(503, 'OVERLOADED'),
      problem(503, 'OVERLOADED', new Date(Date.now() - 5_000).toUTCString()),
      LOOKUP_ANSWER,
    ]);
    try {
      const started = performance.now();
      const { code, stderr } = await aksIp(['lookup', '10.240.0.4', '--server', dated.url]);
      expect(code).toBe(0);
      expect(stderr).toMatch(/in 1 s \(retry 1 of 3\)\n.*in 0 s \(retry 2 of 3\)\n$/);
      expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    } finally {
      dated.close();
    }
  });
});
