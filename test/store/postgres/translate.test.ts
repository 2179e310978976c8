import { describe, expect, it } from 'vitest';
import { translate } from '../../../src/store/postgres/units-of-work.js';
import { StoreSlowError, StoreUnavailableError } from '../../../src/store/store-unavailable.js';

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

  it.each([
    ['Query read timeout', undefined],
    ['timeout exceeded when trying to connect', undefined],
    ['canceling statement due to statement timeout', '57014'],
  ])('"%s" is the database being too slow (503, said so)', (message, code) => {
    expect(translate(Object.assign(new Error(message), { code }))).toBeInstanceOf(StoreSlowError);
    expect(translate(new Error('Connection terminated unexpectedly'))).not.toBeInstanceOf(StoreSlowError);
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
