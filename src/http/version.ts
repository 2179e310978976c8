import { readFileSync } from 'node:fs';

/** The package's version: the API document and the index answer it. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
