import { writeFileSync } from 'node:fs';
import { openapiYaml } from './openapi-document.js';

writeFileSync(new URL('../openapi.yaml', import.meta.url), await openapiYaml());
process.stdout.write('wrote openapi.yaml\n');
