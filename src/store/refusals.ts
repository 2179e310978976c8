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

/**
 * An Idempotency-Key sent again after its allocation was released: replaying the answer would
 * hand out a block that may be someone else's by now.
 */
export function idempotencyKeyReleased(key: string): DomainError {
  return DomainError.invalid(
    'IDEMPOTENCY_KEY_RELEASED',
    'Idempotency-Key',
    `the allocation Idempotency-Key "${key}" made has been released since; send a new key to allocate again`,
  );
}
