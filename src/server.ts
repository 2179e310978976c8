import type { FastifyInstance } from 'fastify';
import { shutDown } from './shutdown.js';
import { startService } from './start.js';
import { StartupError } from './startup-error.js';

let app: FastifyInstance;
let graceMs: number;
try {
  ({
    app,
    config: { shutdownGraceMs: graceMs },
  } = await startService(process.env, (error) => {
    // A check that had to wait for the database (PostgreSQL unreachable at start) refused.
    process.stderr.write(`aks-ip-planner cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }));
} catch (error) {
  if (!(error instanceof StartupError)) throw error;
  process.stderr.write(`aks-ip-planner cannot start: ${error.message}\n`);
  process.exit(1);
}

async function stop(signal: string): Promise<void> {
  app.log.info({ signal, graceSeconds: graceMs / 1000 }, 'shutting down');
  try {
    const outcome = await shutDown(app, graceMs);
    if (outcome === 'abandoned') {
      app.log.error({ outcome }, 'shut down without closing the database: it did not answer');
      process.exit(1);
    }
    app.log.info(
      { outcome },
      outcome === 'finished' ? 'shut down' : 'shut down, cutting requests still open at the deadline',
    );
    process.exit(0);
  } catch (error) {
    app.log.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
const [address] = app.addresses();
app.log.info(`Swagger UI at http://localhost:${typeof address === 'object' ? address.port : ''}/docs`);
