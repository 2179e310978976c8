import type { StoreClock } from './page.js';

/** A clock that always says the same time and hands out numbered ids: examples stay the same. */
export function fixedClock(): StoreClock {
  let next = 0;
  return {
    now: () => new Date('2026-01-05T09:00:00.000Z'),
    newId: () => `00000000-0000-4000-8000-${(++next).toString(16).padStart(12, '0')}`,
  };
}
