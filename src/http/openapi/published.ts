import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The committed openapi.yaml, found from this file in src/ and in dist/ alike. */
export const OPENAPI_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../../../openapi.yaml');

/** The document the service publishes, as JSON and as YAML text. */
export interface PublishedDocument {
  readonly json: Record<string, unknown>;
  readonly yaml: string;
}

/**
 * The published OpenAPI document is the committed openapi.yaml: the schemas of the running app
 * plus response examples captured by running the request examples once (`npm run openapi`). A
 * test fails when the file and the code drift apart. Without the file, the app's own document
 * (no response examples) is published.
 */
export function publishedDocument(
  fallback: () => Record<string, unknown>,
  path = OPENAPI_PATH,
): PublishedDocument {
  if (!existsSync(path)) {
    const json = fallback();
    return { json, yaml: JSON.stringify(json, null, 2) };
  }
  const yaml = readFileSync(path, 'utf8');
  return { json: parse(yaml) as Record<string, unknown>, yaml };
}
