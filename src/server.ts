import type { FastifyInstance } from 'fastify';
import { start } from './start.js';
import { StartupError } from './startup-error.js';

let app: FastifyInstance;
try {
  app = await start();
} catch (error) {
  if (!(error instanceof StartupError)) throw error;
  process.stderr.write(`aks-ip-planner cannot start: ${error.message}\n`);
  process.exit(1);
}

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
const [address] = app.addresses();
app.log.info(`Swagger UI at http://localhost:${typeof address === 'object' ? address.port : ''}/docs`);
