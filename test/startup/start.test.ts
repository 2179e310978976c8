import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Config, loadConfig, misspeltVariables } from '../../src/config.js';
import { planDesign } from '../../src/domain/plan/planner.js';
import { databaseNamed, start } from '../../src/start.js';
import { StartupError } from '../../src/startup-error.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { useTempDirs } from '../support/temp-dirs.js';

const tempDir = useTempDirs('aksip-start-');
afterEach(() => {
  vi.useRealTimers();
});

const quiet = { LOG_LEVEL: 'silent', HOST: '127.0.0.1' };

async function refusal(env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const app = await start({ ...quiet, ...env });
    await app.close();
  } catch (error) {
    expect(error).toBeInstanceOf(StartupError);
    return (error as Error).message;
  }
  throw new Error('the service started');
}

async function occupied(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('a TCP port');
  return { server, port: address.port };
}

/** Collects what the service logs to standard output, until restored. */
function capture() {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return { lines, restore: () => spy.mockRestore() };
}

describe('misspelt variables', () => {
  it('are named with the setting meant: one letter missing, extra, wrong, two swapped, or lowercase', () => {
    const slips = misspeltVariables({
      DATABSE_URL: 'postgres://db/ipam',
      ADMIN_TOKENN: 'x',
      LOG_LEVEK: 'debug',
      PROT: '8080',
      database_path: '/data/ipam.db',
      AUTH: 'token',
      // What a Kubernetes service named "database" sets, and the shell's own.
      DATABASE_PORT: 'tcp://10.0.0.12:5432',
      DATABASE_SERVICE_HOST: '10.0.0.12',
      PATH: '/usr/bin',
      HOSTNAME: 'ipam-0',
      // Beside the setting itself, a near name is someone else's (Marathon's PORTS, PORT0).
      HOST: '0.0.0.0',
      HOSTS: 'a,b',
    });
    expect(slips).toEqual([
      { variable: 'DATABSE_URL', meant: 'DATABASE_URL' },
      { variable: 'ADMIN_TOKENN', meant: 'ADMIN_TOKEN' },
      { variable: 'LOG_LEVEK', meant: 'LOG_LEVEL' },
      { variable: 'PROT', meant: 'PORT' },
      { variable: 'database_path', meant: 'DATABASE_PATH' },
    ]);
  });

  it('are warned of at start, and the service starts', async () => {
    const log = capture();
    try {
      const env = {
        ...quiet,
        LOG_LEVEL: 'warn',
        PORT: '0',
        DATABASE_PATH: ':memory:',
        ADMIN_TOKEN: 'a'.repeat(40),
      };
      await (await start({ ...env, DATABSE_URL: 'postgres://db/ipam' })).close();
    } finally {
      log.restore();
    }
    const warning = log.lines.map((line) => JSON.parse(line)).find((line) => line.variable === 'DATABSE_URL');
    expect(warning).toMatchObject({
      level: 40,
      meant: 'DATABASE_URL',
      msg: 'DATABSE_URL is not a setting and is ignored: DATABASE_URL was meant?',
    });
  });
});

describe('empty variables', () => {
  it('are unset: their defaults apply, never a 0 read from ""', () => {
    const empty = loadConfig({
      PORT: '',
      SHUTDOWN_GRACE_SECONDS: ' ',
      OVERLOAD_EVENT_LOOP_DELAY_MS: '',
      AUDIT_RETENTION_DAYS: '',
    });
    const defaults = loadConfig({});
    expect([
      empty.port,
      empty.shutdownGraceMs,
      empty.edge.maxEventLoopDelayMs,
      empty.auditRetentionDays,
    ]).toEqual([defaults.port, defaults.shutdownGraceMs, defaults.edge.maxEventLoopDelayMs, undefined]);
    expect(defaults.port).toBe(8080);
    expect([defaults.shutdownGraceMs, loadConfig({ SHUTDOWN_GRACE_SECONDS: '5' }).shutdownGraceMs]).toEqual([
      20_000, 5_000,
    ]);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
  });

  it('DATABASE_PATH is read trimmed, as the SQLite driver opens it: ":memory: " is the throwaway database', () => {
    expect(loadConfig({ DATABASE_PATH: ':memory: ' }).databasePath).toBe(':memory:');
    expect(loadConfig({ DATABASE_PATH: ' ./data/x.db\t' }).databasePath).toBe('./data/x.db');
  });

  it('every value is read without the white space around it: a secret from a file keeps its newline', () => {
    const config = loadConfig({
      ADMIN_TOKEN: 'an-admin-token-of-more-than-32-characters\n',
      DATABASE_URL: 'postgres://planner@db/ipam\n',
      HOST: ' 127.0.0.1 ',
      LOG_LEVEL: 'warn\n',
      AUTH: 'tokens\r\n',
      METRICS_PUBLIC: 'true\n',
    });
    expect([config.adminToken, config.postgres?.url, config.host, config.logLevel, config.auth.mode]).toEqual(
      [
        'an-admin-token-of-more-than-32-characters',
        'postgres://planner@db/ipam',
        '127.0.0.1',
        'warn',
        'tokens',
      ],
    );
    expect(config.metrics.public).toBe(true);
  });

  it('but an empty DATABASE_URL or ADMIN_TOKEN is refused: a replica must not run on a database of its own', () => {
    expect(() => loadConfig({ DATABASE_URL: '' })).toThrow(
      /^DATABASE_URL \(a secret of 0 characters\) is not valid/,
    );
    expect(() => loadConfig({ ADMIN_TOKEN: ' ' })).toThrow(
      /^ADMIN_TOKEN \(a secret of 0 characters\) is not valid/,
    );
    // Counted as checked: 31 characters and a newline are 31, not the 32 that would be enough.
    expect(() => loadConfig({ ADMIN_TOKEN: `${'a'.repeat(31)}\n` })).toThrow(
      /^ADMIN_TOKEN \(a secret of 31 characters\) is not valid/,
    );
  });
});

describe('start-up refusals: one line naming the variable or file, and what to do', () => {
  it.each([
    [
      'PORT',
      'abc',
      'PORT "abc" is not valid: set PORT to a TCP port number from 0 to 65535 (0: any free port)',
    ],
    [
      'PORT',
      '65536',
      'PORT "65536" is not valid: set PORT to a TCP port number from 0 to 65535 (0: any free port)',
    ],
    [
      'PORT',
      '70000',
      'PORT "70000" is not valid: set PORT to a TCP port number from 0 to 65535 (0: any free port)',
    ],
    // Number() would read these as 8080 and 1000.
    [
      'PORT',
      '0x1F90',
      'PORT "0x1F90" is not valid: set PORT to a TCP port number from 0 to 65535 (0: any free port)',
    ],
    [
      'SHUTDOWN_GRACE_SECONDS',
      '1e3',
      'SHUTDOWN_GRACE_SECONDS "1e3" is not valid: set SHUTDOWN_GRACE_SECONDS to a whole number of seconds from 0 to 3600',
    ],
    [
      'LOG_LEVEL',
      'loud',
      'LOG_LEVEL "loud" is not valid: set LOG_LEVEL to one of fatal, error, warn, info, debug, trace, silent',
    ],
    [
      'REQUEST_TIMEOUT_MS',
      '30s',
      'REQUEST_TIMEOUT_MS "30s" is not valid: set REQUEST_TIMEOUT_MS to a whole number of milliseconds from 1 to 3600000',
    ],
    [
      'IDLE_TIMEOUT_MS',
      '0',
      'IDLE_TIMEOUT_MS "0" is not valid: set IDLE_TIMEOUT_MS to a whole number of milliseconds from 1 to 3600000',
    ],
    [
      'DESIGN_CACHE_MB',
      'lots',
      'DESIGN_CACHE_MB "lots" is not valid: set DESIGN_CACHE_MB to a whole number of mebibytes from 1 to 65536',
    ],
    [
      'CORS_ORIGINS',
      'https://portal.example.com/, portal.example',
      'CORS_ORIGINS "https://portal.example.com/, portal.example" is not valid: set CORS_ORIGINS to a comma-separated list of origins such as https://portal.example.com (scheme, host and port only)',
    ],
    [
      'RATE_LIMIT_PER_MINUTE',
      '0',
      'RATE_LIMIT_PER_MINUTE "0" is not valid: set RATE_LIMIT_PER_MINUTE to a whole number of requests from 1 to 10000000',
    ],
    [
      'ANONYMOUS_READ',
      'yes',
      'ANONYMOUS_READ "yes" is not valid: set ANONYMOUS_READ to true or false (the default): whether callers without a token may use the read routes',
    ],
  ])('%s=%s', async (name, value, message) => {
    expect(await refusal({ DATABASE_PATH: ':memory:', [name]: value })).toBe(message);
  });

  it('refuses a port in use before it opens (or creates) the database', async () => {
    const { server, port } = await occupied();
    const path = join(tempDir(), 'never.db');
    try {
      expect(await refusal({ PORT: String(port), DATABASE_PATH: path })).toBe(
        `PORT ${port} on HOST 127.0.0.1 is already in use: stop the process holding it or set PORT to a free port`,
      );
      expect(existsSync(path)).toBe(false);
    } finally {
      server.close();
    }
  });

  it('refuses a DATABASE_PATH that cannot be written: a directory, or a path under a file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    expect(await refusal({ PORT: '0', DATABASE_PATH: dir })).toMatch(
      /^DATABASE_PATH ".*" cannot be opened for writing \(SQLITE_CANTOPEN: .*\): make the file and its directory writable, or set DATABASE_PATH to a writable file$/,
    );
    expect(await refusal({ PORT: '0', DATABASE_PATH: join(dir, 'file', 'ipam.db') })).toMatch(
      /^DATABASE_PATH ".*" cannot be opened for writing \(E[A-Z]+: .*\): make the file/,
    );
  });

  it('refuses a file that is not a database, and a truncated one', async () => {
    const dir = tempDir();
    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, 'not a database '.repeat(100));
    expect(await refusal({ PORT: '0', DATABASE_PATH: garbage })).toMatch(
      /^DATABASE_PATH ".*garbage.db" is not a SQLite database or is damaged \(SQLITE_NOTADB: .*\): restore it from a backup, or set DATABASE_PATH to a new file$/,
    );

    const truncated = join(dir, 'truncated.db');
    const store = openSqliteStore(truncated);
    const { spec } = planDesign({ name: 'p', nodePools: [{ name: 'system', nodeCount: 1 }] });
    for (let i = 0; i < 300; i++) {
      await store.createPlan({
        spec: { ...spec, name: `p${i}` },
        defaultsApplied: [],
        ranges: [],
        labels: {},
      });
    }
    await store.close();
    truncateSync(truncated, Math.floor(statSync(truncated).size / 2));
    expect(await refusal({ PORT: '0', DATABASE_PATH: truncated })).toMatch(
      /is not a SQLite database or is damaged/,
    );
  });

  it('exits with status 1 and prints one line, no stack trace', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, PORT: 'abc', DATABASE_PATH: ':memory:' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'aks-ip-planner cannot start: PORT "abc" is not valid: set PORT to a TCP port number from 0 to 65535 (0: any free port)\n',
    );
  });
});

describe('GET /readyz: the database can serve', () => {
  async function ready(path: string) {
    const app = await start({ ...quiet, PORT: '0', DATABASE_PATH: path });
    const probe = async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode;
    return { app, probe };
  }

  it('answers 503 once the database file is deleted under the running process', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const path = join(tempDir(), 'ipam.db');
    const { app, probe } = await ready(path);
    try {
      expect(await probe()).toBe(200);
      rmSync(path);
      vi.advanceTimersByTime(1100);
      expect(await probe()).toBe(503);
    } finally {
      await app.close();
    }
  });

  it('refuses writes once the database file is deleted: acknowledged, they would be lost at the restart', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const path = join(tempDir(), 'ipam.db');
    const app = await start({ ...quiet, PORT: '0', DATABASE_PATH: path, ADMIN_TOKEN: 'a'.repeat(40) });
    const write = (name: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/spaces',
        headers: { authorization: `Bearer ${'a'.repeat(40)}` },
        payload: { name, cidrs: ['10.0.0.0/16'] },
      });
    try {
      expect((await write('before')).statusCode).toBe(201);
      rmSync(path);
      vi.advanceTimersByTime(1100);
      const refused = await write('after');
      expect([refused.statusCode, refused.json().code]).toEqual([503, 'DATABASE_UNAVAILABLE']);
    } finally {
      await app.close();
    }
  });

  it('answers 503 once the database file is replaced by another', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const dir = tempDir();
    const path = join(dir, 'ipam.db');
    const { app, probe } = await ready(path);
    try {
      expect(await probe()).toBe(200);
      copyFileSync(path, join(dir, 'copy.db'));
      renameSync(join(dir, 'copy.db'), path);
      // The answer is reused for a second: probes stay cheap.
      expect(await probe()).toBe(200);
      vi.advanceTimersByTime(1100);
      expect(await probe()).toBe(503);
    } finally {
      await app.close();
    }
  });
});

describe('migrations edited after they ran', () => {
  it('stop the start with one line naming the file', async () => {
    const path = join(tempDir(), 'ipam.db');
    const store = openSqliteStore(path);
    await store.close();
    const db = new Database(path);
    db.prepare("UPDATE schema_migrations SET checksum = 'x' WHERE version = '003'").run();
    db.close();
    expect(await refusal({ PORT: '0', DATABASE_PATH: path, ADMIN_TOKEN: 'a'.repeat(40) })).toBe(
      `DATABASE_PATH ${JSON.stringify(path)}: migration 003-spaces.sql was edited after it was applied: restore 003-spaces.sql as it was released and put the change in a new migration`,
    );
  });
});

describe('the database in use', () => {
  it('is named in the log without a user or password', () => {
    const postgres = { url: 'postgres://planner:s3cret@db.internal:5432/ipam?sslmode=require' };
    expect(databaseNamed({ databasePath: 'x', postgres } as Config)).toBe('postgres://db.internal:5432/ipam');
    // A password with an unencoded / ? or # would be read as host and path: nothing is shown.
    for (const url of [
      'postgres://admin:2024/Spring!@db.example.com/ipam',
      'postgres://u:12#x@db/ipam',
      'postgres://u:12?x@db/ipam',
      'postgres://u:a@b/c@db/ipam',
      'postgres://u:p@ss@db/ipam',
      'postgres://u:p@/ipam?host=/run/postgresql',
    ])
      expect(databaseNamed({ databasePath: 'x', postgres: { url } } as Config), url).toBe('postgres');
    expect(databaseNamed({ databasePath: 'x', postgres: { url: 'postgres://db:5432/ipam' } } as Config)).toBe(
      'postgres://db:5432/ipam',
    );
    expect(databaseNamed({ databasePath: ':memory:', postgres: undefined })).toBe('sqlite::memory:');
    expect(databaseNamed({ databasePath: 'data/x.db', postgres: undefined })).toBe(
      `sqlite:${resolve('data/x.db')}`,
    );
  });
});

describe('the first admin token', () => {
  it('is written next to the database, readable by its owner only, and logged by path alone', async () => {
    const dir = tempDir();
    const path = join(dir, 'ipam.db');
    const log = capture();
    let token = '';
    try {
      const app = await start({ HOST: '127.0.0.1', LOG_LEVEL: 'info', PORT: '0', DATABASE_PATH: path });
      const file = join(dir, 'admin-token');
      token = readFileSync(file, 'utf8').trim();
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(token).toMatch(/^aksip_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      const headers = { authorization: `Bearer ${token}` };
      expect((await app.inject({ method: 'GET', url: '/v1/tokens', headers })).statusCode).toBe(200);
      await app.close();
    } finally {
      log.restore();
    }
    const text = log.lines.join('');
    expect(text).toContain(join(dir, 'admin-token'));
    // Which database is in use, said once: a misspelt DATABASE_URL would be SQLite silently.
    expect(text).toContain(`"database":${JSON.stringify(`sqlite:${path}`)}`);
    expect(text).not.toContain(token.slice(19));

    // A second start finds a usable admin token and leaves the file alone.
    const again = await start({ ...quiet, PORT: '0', DATABASE_PATH: path });
    await again.close();
    expect(readFileSync(join(dir, 'admin-token'), 'utf8').trim()).toBe(token);
  });

  it('is not created when ADMIN_TOKEN is set, and ADMIN_TOKEN is an admin', async () => {
    const dir = tempDir();
    const secret = 'a'.repeat(40);
    const app = await start({
      ...quiet,
      PORT: '0',
      DATABASE_PATH: join(dir, 'ipam.db'),
      ADMIN_TOKEN: secret,
    });
    try {
      expect(existsSync(join(dir, 'admin-token'))).toBe(false);
      const headers = { authorization: `Bearer ${secret}` };
      expect((await app.inject({ method: 'GET', url: '/v1/tokens', headers })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('reads the roles from the claim "roles" unless OIDC_ROLES_CLAIM names another', () => {
    const oidc = { OIDC_ISSUER: 'https://login.example.com/tenant/v2.0', OIDC_AUDIENCE: 'api://ipam' };
    expect(loadConfig(oidc).oidc?.rolesClaim).toBe('roles');
    expect(loadConfig({ ...oidc, OIDC_ROLES_CLAIM: 'groups' }).oidc?.rolesClaim).toBe('groups');
  });

  it('refuses OIDC_ISSUER without OIDC_AUDIENCE', async () => {
    expect(
      await refusal({ DATABASE_PATH: ':memory:', OIDC_ISSUER: 'https://login.example.com/tenant/v2.0' }),
    ).toBe('OIDC_AUDIENCE is not set: set OIDC_ISSUER and OIDC_AUDIENCE together, or neither');
  });

  it("refuses an OIDC key set or a claim's name without OIDC itself: it would be ignored", async () => {
    expect(
      await refusal({ DATABASE_PATH: ':memory:', OIDC_JWKS_URL: 'https://login.example.com/keys' }),
    ).toBe(
      'OIDC_JWKS_URL is set, but OIDC is off: set OIDC_ISSUER and OIDC_AUDIENCE too, or unset OIDC_JWKS_URL',
    );
    expect(await refusal({ DATABASE_PATH: ':memory:', OIDC_TEAM_CLAIM: 'team' })).toBe(
      'OIDC_TEAM_CLAIM is set, but OIDC is off: set OIDC_ISSUER and OIDC_AUDIENCE too, or unset OIDC_TEAM_CLAIM',
    );
    expect(await refusal({ DATABASE_PATH: ':memory:', OIDC_ROLES_CLAIM: 'groups' })).toBe(
      'OIDC_ROLES_CLAIM is set, but OIDC is off: set OIDC_ISSUER and OIDC_AUDIENCE too, or unset OIDC_ROLES_CLAIM',
    );
  });

  it('refuses :memory: without ADMIN_TOKEN, and a short ADMIN_TOKEN without echoing it', async () => {
    expect(await refusal({ PORT: '0', DATABASE_PATH: ':memory:' })).toBe(
      'ADMIN_TOKEN is not set and DATABASE_PATH is :memory:, so no admin token can be handed over: set ADMIN_TOKEN (e.g. from `openssl rand -hex 32`)',
    );
    expect(await refusal({ DATABASE_PATH: ':memory:', ADMIN_TOKEN: 'hunter2' })).toBe(
      'ADMIN_TOKEN (a secret of 7 characters) is not valid: set ADMIN_TOKEN to a secret of 32 to 512 printable characters without spaces, e.g. from `openssl rand -hex 32`',
    );
  });

  it('AUTH=none starts without any token, warning that everything is open', async () => {
    const log = capture();
    try {
      const app = await start({
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        PORT: '0',
        DATABASE_PATH: ':memory:',
        AUTH: 'none',
      });
      expect((await app.inject({ method: 'GET', url: '/v1/tokens' })).statusCode).toBe(200);
      await app.close();
    } finally {
      log.restore();
    }
    expect(log.lines.join('')).toContain('AUTH=none: every caller may read, change and delete everything');
  });
});
