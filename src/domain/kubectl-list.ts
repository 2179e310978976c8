import type { DomainErrorCode } from './error-codes.js';
import { DomainError, invalidInput, type Problem } from './errors.js';

/** Untrusted JSON, as a kubectl document is: every shape is checked before use. */
export type Json = unknown;

export const isObject = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The field of an object, or undefined when the value is not an object. */
export const field = (value: Json, key: string): Json => (isObject(value) ? value[key] : undefined);

/**
 * What each item of a kubectl List (`{"items": [...]}`) gives, in order. Every unusable item is
 * reported at once, with its path, under `code`; nothing is answered then. `command` names
 * what produces the document, for the refusal of one that is not a List.
 */
export function parseKubectlItems<T>(
  document: Json,
  code: DomainErrorCode,
  command: string,
  parseItem: (item: Json, at: string) => readonly T[] | { problems: Problem[] },
): T[] {
  const items = field(document, 'items');
  if (!Array.isArray(items)) {
    throw DomainError.invalid(
      code,
      'items',
      `expected the JSON of \`${command}\`: an object with an items list`,
    );
  }
  const problems: Problem[] = [];
  const parsed = items.flatMap((item, i) => {
    const each = parseItem(item, `items[${i}]`);
    if ('problems' in each) {
      problems.push(...each.problems);
      return [];
    }
    return each;
  });
  if (problems.length > 0) throw invalidInput(problems);
  return parsed;
}
