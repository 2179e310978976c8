import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openapiYaml } from '../scripts/openapi-document.js';

describe('openapi.yaml', () => {
  it('is what the running app serves (run `npm run openapi` after changing a schema)', async () => {
    const committed = readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8');
    expect(committed).toBe(await openapiYaml());
  });
});
