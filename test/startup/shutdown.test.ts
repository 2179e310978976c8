/**
 * SIGTERM on the real server process: requests in flight finish, idle connections close at once,
 * new connections are refused, a stalled upload is cut at the grace deadline, and the process exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { shutDown } from '../../src/shutdown.js';
import { useTempDirs } from '../support/temp-dirs.js';

const tempDir = useTempDirs('aksip-shutdown-');
const ADMIN = 'shutdown-test-admin-token-0123456789';
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

async function server(
  graceSeconds: number,
): Promise<{ child: ChildProcess; port: number; exited: Promise<number> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: join(tempDir(), 'ipam.db'),
      ADMIN_TOKEN: ADMIN,
      SHUTDOWN_GRACE_SECONDS: String(graceSeconds),
      REQUEST_TIMEOUT_MS: '120000', // the deadline, not the request timeout, must cut the stalled upload
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const found = /localhost:(\d+)\/docs/.exec(text);
      if (found) resolve(Number(found[1]));
    });
    child.on('exit', () => reject(new Error(`server exited before listening: ${text}`)));
  });
  return { child, port, exited };
}

/** A streamed lookup that sends one address every 100 ms for `lines` lines: in flight meanwhile. */
function slowStream(
  port: number,
  lines: number,
  agent?: Agent,
): Promise<{ status: number; answered: number }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        ...(agent === undefined ? {} : { agent }),
        path: '/v1/lookup',
        method: 'POST',
        headers: { 'content-type': 'text/plain', authorization: `Bearer ${ADMIN}` },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, answered: body.split('\n').filter(Boolean).length }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    let sent = 0;
    const timer = setInterval(() => {
      req.write(`10.0.0.${sent + 1}\n`);
      if (++sent === lines) {
        clearInterval(timer);
        req.end();
      }
    }, 100);
  });
}

/** A kept-alive connection left idle after one request. */
async function idleKeptAlive(port: number): Promise<Agent> {
  const agent = new Agent({ keepAlive: true });
  await new Promise<void>((resolve) =>
    httpRequest({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) =>
      res.resume().on('end', resolve),
    ).end(),
  );
  return agent;
}

describe('SIGTERM', () => {
  it('lets requests in flight finish, closes idle connections, cuts a stalled upload at the deadline', async () => {
    const { child, port, exited } = await server(3);

    // An idle kept-alive connection: it must not hold the shutdown.
    const agent = await idleKeptAlive(port);
    // A stalled upload: 10 of 100 promised bytes, then nothing.
    const stalled = connect(port, '127.0.0.1');
    const stalledClosed = new Promise<void>((resolve) => stalled.on('close', () => resolve()));
    stalled.write(
      `POST /v1/calculations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":"x`,
    );
    const streams = Array.from({ length: 5 }, () => slowStream(port, 15));
    await new Promise((resolve) => setTimeout(resolve, 300));

    const signalled = Date.now();
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await new Promise<string>((resolve) => {
      const probe = connect(port, '127.0.0.1');
      probe.on('connect', () => {
        probe.destroy();
        resolve('connected');
      });
      probe.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');

    for (const answer of await Promise.all(streams)) expect(answer).toEqual({ status: 200, answered: 15 });
    await stalledClosed;
    expect(await exited).toBe(0);
    const took = Date.now() - signalled;
    expect(took).toBeGreaterThanOrEqual(2500); // the stalled upload held it to the deadline...
    expect(took).toBeLessThan(8000); // ...and no longer
    agent.destroy();
  }, 30_000);

  it('closes a kept-alive connection once its request in flight is answered, not a keep-alive later', async () => {
    const { child, port, exited } = await server(20);
    const agent = new Agent({ keepAlive: true });
    const stream = slowStream(port, 15, agent); // about 1.5 s
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalled = Date.now();
    child.kill('SIGTERM');
    expect(await stream).toEqual({ status: 200, answered: 15 });
    expect(await exited).toBe(0);
    // Kept alive, the connection held the shutdown until its keep-alive timeout ran out.
    expect(Date.now() - signalled).toBeLessThan(4000);
    agent.destroy();
  }, 30_000);

  it('exits at once when nothing is in flight, idle kept-alive connections included', async () => {
    const { child, port, exited } = await server(20);
    const agent = await idleKeptAlive(port);
    const signalled = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(3000); // not the 20 s grace period
    agent.destroy();
  }, 30_000);
});

describe('shutDown', () => {
  /** An app whose close ends when `closing` says, and which records the cut. */
  function fakeApp(closing: Promise<void>) {
    const cut: string[] = [];
    const app = {
      close: () => closing,
      server: { closeAllConnections: () => cut.push('cut') },
    } as unknown as Parameters<typeof shutDown>[0];
    return { app, cut };
  }

  it('gives up a close that never ends (a database that stopped answering) soon after the cut', async () => {
    const { app, cut } = fakeApp(new Promise(() => {}));
    const started = performance.now();
    expect(await shutDown(app, 50, 50)).toBe('abandoned');
    expect(cut).toEqual(['cut']);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('says whether requests were cut, when the close ends', async () => {
    expect(await shutDown(fakeApp(Promise.resolve()).app, 1_000, 50)).toBe('finished');
    const slow = new Promise<void>((resolve) => setTimeout(resolve, 100));
    expect(await shutDown(fakeApp(slow).app, 20, 1_000)).toBe('cut');
  });
});
