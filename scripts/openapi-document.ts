import { stringify } from 'yaml';
import { buildApp } from '../src/http/app.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite.js';

/** The OpenAPI document the running app serves, as the YAML committed in openapi.yaml. */
export async function openapiYaml(): Promise<string> {
  const app = await buildApp({ store: openSqliteStore(':memory:') });
  await app.ready();
  const document = app.swagger();
  await app.close();
  return stringify(document, { lineWidth: 0 });
}
