import { DomainError } from '../domain/errors.js';

/** The one wording of a taken name, whichever store notices it (a read, or a unique constraint). */
export function nameTaken(resource: 'plan' | 'space', name?: string): DomainError {
  const which = name === undefined ? `a ${resource} with this name` : `a ${resource} named "${name}"`;
  return DomainError.invalid(
    resource === 'plan' ? 'PLAN_NAME_TAKEN' : 'SPACE_NAME_TAKEN',
    'name',
    `${which} already exists; names are unique across every team`,
  );
}

/** An Idempotency-Key sent again with a different request. */
export function idempotencyKeyReused(key: string): DomainError {
  return DomainError.invalid(
    'IDEMPOTENCY_KEY_REUSED',
    'Idempotency-Key',
    `Idempotency-Key "${key}" was used with a different request in the last 24 hours`,
  );
}
