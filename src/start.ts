import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { scheduleAuditRetention } from './audit-retention.js';
import { prepareAuth } from './bootstrap-admin.js';
import { type Config, loadConfig, misspeltVariables } from './config.js';
import { scheduleHistoryRetention } from './history-retention.js';
import { buildApp } from './http/app.js';
import { OPENAPI_PATH, publishedDocument } from './http/openapi/published.js';
import { StartupError } from './startup-error.js';
import { MigrationEditedError } from './store/migration-files.js';
import { openPostgresStore } from './store/postgres/open-postgres.js';
import { openSqliteStore } from './store/sqlite/open-sqlite.js';
import type { Store } from './store/store.js';

/**
 * Starts the service from the environment: configuration, then the port (before the database is
 * touched, so a second copy started by mistake leaves the first one's files alone), then the
 * database, then the listener. Throws StartupError with one line saying what to fix.
 */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<FastifyInstance> {
  return (await startService(env)).app;
}

/** `start`, also answering the configuration it started with (the server needs its grace period). */
export async function startService(
  env: NodeJS.ProcessEnv = process.env,
  onFatal: (error: unknown) => void = (error) => {
    throw error;
  },
): Promise<{ app: FastifyInstance; config: Config }> {
  const config = loadConfig(env);
  await assertPortFree(config);
  const log = new DeferredLog();
  const { store, connected } = await openStore(config, log);
  // Read before the first request: parsing openapi.yaml's 13,000 lines on the first
  // /openapi.json held the event loop for a second. Without the file, the app's own is lazy.
  const committed = existsSync(OPENAPI_PATH) ? publishedDocument(() => ({})) : undefined;
  const app = await buildApp({
    store,
    ...(committed === undefined ? {} : { document: () => committed }),
    // Tokens never reach a log line, even when a debugging level logs requests.
    logger: { level: config.logLevel, redact: ['req.headers.authorization'] },
    timeouts: config.timeouts,
    designCacheBytes: config.designCacheBytes,
    auth: config.auth,
    adminToken: config.adminToken,
    edge: config.edge,
    trustProxy: config.trustProxy,
    oidc: config.oidc,
    metrics: config.metrics,
    records: { maxEntries: config.historyMemoryEntries, retentionDays: config.historyRetentionDays },
  });
  log.to(app.log);
  // A misspelt DATABASE_URL falls back to SQLite without a word: the log says which is in use.
  app.log.info({ database: databaseNamed(config) }, 'database');
  for (const slip of misspeltVariables(env))
    app.log.warn(slip, `${slip.variable} is not a setting and is ignored: ${slip.meant} was meant?`);
  scheduleAuditRetention(app, store, config.auditRetentionDays);
  scheduleHistoryRetention(app, store, config.historyRetentionDays);
  try {
    if (connected === undefined) await prepareAuth(app, store, config);
    else void connected.then(() => prepareAuth(app, store, config)).catch((error) => onFatal(error));
  } catch (error) {
    await app.close();
    throw error;
  }
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    throw portError(config, error);
  }
  return { app, config };
}

/**
 * The database in use, without a user or password: `sqlite:<absolute path>`, or PostgreSQL's
 * host and database where the URL names them beyond doubt, else `postgres`.
 */
export function databaseNamed(config: Pick<Config, 'databasePath' | 'postgres'>): string {
  if (config.postgres === undefined)
    return config.databasePath === ':memory:' ? 'sqlite::memory:' : `sqlite:${resolve(config.databasePath)}`;
  const raw = config.postgres.url;
  if (!URL.canParse(raw)) return 'postgres';
  const url = new URL(raw);
  // A password with an unencoded / ? or # ends the URL's authority early, and the rest of it
  // would be read as host and path: only a URL whose one @ parted its user from its host is shown.
  const ats = raw.split('@').length - 1;
  const sure = (ats === 0 && url.username === '') || (ats === 1 && url.username !== '');
  return sure && !url.pathname.includes('@') ? `${url.protocol}//${url.host}${url.pathname}` : 'postgres';
}

/** Log lines of the store before the app's logger exists are kept, then written through it. */
class DeferredLog {
  private target: FastifyBaseLogger | undefined;
  private readonly early: [level: 'warn' | 'info', message: string][] = [];

  to(target: FastifyBaseLogger): void {
    this.target = target;
    for (const [level, message] of this.early.splice(0)) target[level](message);
  }

  warn(message: string): void {
    if (this.target === undefined) this.early.push(['warn', message]);
    else this.target.warn(message);
  }

  info(message: string): void {
    if (this.target === undefined) this.early.push(['info', message]);
    else this.target.info(message);
  }
}

/** Binds the port once and lets it go: a port in use is reported before anything else happens. */
async function assertPortFree(config: Config): Promise<void> {
  if (config.port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => reject(portError(config, error)));
    probe.listen({ port: config.port, host: config.host, exclusive: true }, () =>
      probe.close(() => resolve()),
    );
  });
}

function portError(config: Config, error: unknown): StartupError {
  const code = (error as { code?: string }).code;
  const at = `PORT ${config.port} on HOST ${config.host}`;
  if (code === 'EADDRINUSE')
    return new StartupError(
      `${at} is already in use: stop the process holding it or set PORT to a free port`,
    );
  if (code === 'EACCES')
    return new StartupError(`${at} needs privileges this process lacks: set PORT to 1024 or above`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new StartupError(
      `${at}: HOST is not an address of this machine: set HOST, or leave it unset for 0.0.0.0`,
    );
  return new StartupError(`${at} cannot be listened on (${code ?? String(error)}): check PORT and HOST`);
}

/**
 * Opens the configured store. PostgreSQL that cannot be reached yet is no reason to stop: the
 * store keeps trying, and `connected` settles once it has (what must wait for the database, the
 * admin-token check, waits for it); it is undefined when the store is usable now.
 */
async function openStore(
  config: Config,
  log: DeferredLog,
): Promise<{ store: Store; connected: Promise<void> | undefined }> {
  if (config.postgres === undefined) return { store: openSqlite(config.databasePath), connected: undefined };
  try {
    const { store, connected } = await openPostgresStore({ ...config.postgres, retryMs: 2_000, log });
    return { store, connected: connected ? undefined : store.connected() };
  } catch (error) {
    if (error instanceof MigrationEditedError) {
      throw new StartupError(
        `DATABASE_URL: ${error.message}: restore ${error.migration} as it was released and put the change in a new migration`,
      );
    }
    throw new StartupError(
      `DATABASE_URL cannot be used (${(error as Error).message}): check the user, password, database name and its privileges`,
    );
  }
}

/** Opens the SQLite store, turning what can go wrong with the file into one line about DATABASE_PATH. */
function openSqlite(path: string): Store {
  try {
    return openSqliteStore(path);
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const message = (error as Error).message;
    const reason = message.startsWith(code) ? message : `${code}: ${message}`;
    const at = `DATABASE_PATH ${JSON.stringify(path)}`;
    if (error instanceof MigrationEditedError) {
      throw new StartupError(
        `${at}: ${error.message}: restore ${error.migration} as it was released and put the change in a new migration`,
      );
    }
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new StartupError(
        `${at} is not a SQLite database or is damaged (${reason}): restore it from a backup, or set DATABASE_PATH to a new file`,
      );
    }
    if (code.startsWith('SQLITE_') || code.startsWith('E')) {
      throw new StartupError(
        `${at} cannot be opened for writing (${reason}): make the file and its directory writable, or set DATABASE_PATH to a writable file`,
      );
    }
    throw error;
  }
}
