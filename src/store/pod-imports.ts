import { DomainError } from '../domain/errors.js';

/** An import observed before the plan's last one would rewrite history: both stores refuse it. */
export function lastImportRefusal(at: string, last: string): DomainError {
  return DomainError.invalid(
    'OBSERVED_AT_INVALID',
    'observedAt',
    `observedAt ${at} is before this plan's last pod import (${last}): imports go forward in time`,
  );
}
