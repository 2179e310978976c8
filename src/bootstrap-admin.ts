import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { TokenService } from './service/token-service.js';
import { StartupError } from './startup-error.js';
import type { Store } from './store/store.js';

/** The file the first admin token is written to, next to the SQLite database. */
export function adminTokenFile(databasePath: string): string {
  return join(dirname(resolve(databasePath)), 'admin-token');
}

/**
 * With PostgreSQL there is no data directory to hand a token over in: without ADMIN_TOKEN, an
 * admin token must already be stored (created earlier with ADMIN_TOKEN, or restored).
 */
async function assertStoredAdmin(store: Store): Promise<void> {
  if (await new TokenService(store.tokens).hasUsableAdmin()) return;
  throw new StartupError(
    'ADMIN_TOKEN is not set and the database of DATABASE_URL holds no usable admin token: set ADMIN_TOKEN (e.g. from `openssl rand -hex 32`) on at least one replica',
  );
}

/**
 * Makes sure someone can administer the service. With AUTH=none, a warning at every start; with
 * ADMIN_TOKEN, nothing to do; otherwise, on a first start (no usable admin token stored), an
 * admin token is created and written to `admin-token` next to the database, readable by its
 * owner only. Its path is logged, never the secret.
 */
export async function prepareAuth(app: FastifyInstance, store: Store, config: Config): Promise<void> {
  if (config.auth.mode === 'none') {
    app.log.warn(
      'AUTH=none: every caller may read, change and delete everything; use it for local experiments only',
    );
    return;
  }
  if (config.adminToken !== undefined) return;
  if (config.postgres !== undefined) return assertStoredAdmin(store);
  if (config.databasePath === ':memory:') {
    throw new StartupError(
      'ADMIN_TOKEN is not set and DATABASE_PATH is :memory:, so no admin token can be handed over: set ADMIN_TOKEN (e.g. from `openssl rand -hex 32`)',
    );
  }
  const tokens = new TokenService(store.tokens);
  const issued = await tokens.bootstrapAdmin();
  if (issued === undefined) return;
  const file = adminTokenFile(config.databasePath);
  try {
    // Written under a new name readable by its owner only, then moved over: an older file with a
    // wider mode never holds the new secret.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, `${issued.secret}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(partial, file);
  } catch (error) {
    await tokens.revoke(issued.token.id);
    throw new StartupError(
      `the first admin token cannot be written to ${file} (${(error as Error).message}): make the directory writable, or set ADMIN_TOKEN`,
    );
  }
  app.log.info({ file, tokenId: issued.token.id }, 'created the first admin token; read it from this file');
}
