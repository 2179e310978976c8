import type { ErrorEntry } from './error-catalogue/entries.js';
import { INPUT_ERRORS } from './error-catalogue/input-errors.js';
import { PLUGIN_ERRORS } from './error-catalogue/plugin-errors.js';
import { RESOURCE_ERRORS } from './error-catalogue/resource-errors.js';

export type { ErrorEntry, ErrorKind } from './error-catalogue/entries.js';

/**
 * Every code the domain refuses something with: what kind of refusal it is, a short title, and
 * what to do about it. The catalogue is closed: DomainError takes only these codes, so a new
 * refusal cannot go undocumented.
 */
export const DOMAIN_ERRORS = {
  ...INPUT_ERRORS,
  ...PLUGIN_ERRORS,
  ...RESOURCE_ERRORS,
} as const satisfies Record<string, ErrorEntry>;

export type DomainErrorCode = keyof typeof DOMAIN_ERRORS;
