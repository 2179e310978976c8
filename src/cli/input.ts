import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { CliError } from './cli-error.js';

/** A JSON or YAML document from a file, or from standard input for "-". */
export function readDocument(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw new CliError(
      `${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    // YAML is a superset of JSON: one parser reads both, and says where a document breaks.
    return parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new CliError(`${path} is not JSON or YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}
