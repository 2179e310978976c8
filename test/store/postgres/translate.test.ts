import { describe, expect, it } from 'vitest';
import { translate } from '../../../src/store/postgres/units-of-work.js';
import { StoreUnavailableError } from '../../../src/store/store-unavailable.js';

describe('errors of node-postgres, as the service answers them', () => {
  it.each([
    'Connection terminated unexpectedly',
    'Client has encountered a connection error and is not queryable',
    'Client was closed and is not queryable',
    'timeout exceeded when trying to connect',
    'Query read timeout',
  ])('"%s" is the database being unavailable (503)', (message) => {
    expect(translate(new Error(message))).toBeInstanceOf(StoreUnavailableError);
  });

  it('a taken name is a conflict, another error stays itself', () => {
    expect(
      translate(Object.assign(new Error('dup'), { code: '23505', constraint: 'plans_name_key' })),
    ).toMatchObject({
      code: 'PLAN_NAME_TAKEN',
    });
    const other = Object.assign(new Error('syntax'), { code: '42601' });
    expect(translate(other)).toBe(other);
  });
});
