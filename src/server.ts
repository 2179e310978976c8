import { loadConfig } from './config.js';
import { buildApp } from './http/app.js';
import { openSqliteStore } from './store/sqlite/open-sqlite.js';

const config = loadConfig();
const store = openSqliteStore(config.databasePath);
const app = await buildApp({ store, logger: { level: config.logLevel } });

/** Stops taking requests, lets those in flight finish, then closes the database. */
async function shutdown(signal: string): Promise<void> {
  app.log.info({ signal }, 'shutting down');
  try {
    await app.close();
    process.exit(0);
  } catch (error) {
    app.log.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));

await app.listen({ port: config.port, host: config.host });
app.log.info(`Swagger UI at http://localhost:${config.port}/docs`);
