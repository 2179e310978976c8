import { openPostgresStore } from '../../src/store/postgres/open-postgres.js';
import { freshDatabase } from '../support/postgres.js';
import { storeContract } from './contract/index.js';

storeContract('PostgreSQL', async (clock) => {
  const db = await freshDatabase();
  const { store } = await openPostgresStore(
    { url: db.url, poolSize: 4, statementTimeoutMs: 10_000, connectTimeoutMs: 2_000, retryMs: 500 },
    clock,
  );
  return { store, dispose: db.drop };
});
