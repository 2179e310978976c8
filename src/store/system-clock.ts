import { randomUUID } from 'node:crypto';
import type { StoreClock } from './page.js';

/** The real clock: the time now, and random UUIDs. */
export const SYSTEM_CLOCK: StoreClock = { now: () => new Date(), newId: () => randomUUID() };
