import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The PostgreSQL migrations, found from this file in src/ and in dist/ alike. */
export const POSTGRES_MIGRATIONS_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../migrations/postgres',
);
