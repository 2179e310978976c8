import { afterEach, beforeEach, describe } from 'vitest';
import type { StoreClock } from '../../../src/store/page.js';
import type { Store } from '../../../src/store/store.js';
import { auditContract } from './audit.js';
import { type CurrentStore, TestClock } from './fixtures.js';
import { indexSourceContract } from './index-source.js';
import { nodeContract } from './nodes.js';
import { planFromSpacesContract } from './plan-from-spaces.js';
import { planContract } from './plans.js';
import { podContract } from './pods.js';
import { spaceContract } from './spaces.js';
import { teamContract } from './teams.js';
import { tokenContract } from './tokens.js';

/** A store opened for one test, and how to remove what it left behind (files, schemas). */
export interface OpenedStore {
  readonly store: Store;
  readonly dispose?: () => void | Promise<void>;
}

/** Opens an empty store stamped by `clock`. */
export type OpenStore = (clock: StoreClock) => OpenedStore | Promise<OpenedStore>;

/**
 * The behaviour every Store implementation must have. A backend plugs in with one line:
 * `storeContract('name', open)`.
 */
export function storeContract(name: string, open: OpenStore): void {
  describe(`Store contract: ${name}`, () => {
    let opened: OpenedStore | undefined;
    const clock = new TestClock();
    beforeEach(async () => {
      clock.reset();
      opened = await open(clock);
    });
    afterEach(async () => {
      await opened?.store.close();
      await opened?.dispose?.();
      opened = undefined;
    });
    const current: CurrentStore = () => {
      if (opened === undefined) throw new Error('the store is opened for each test');
      return opened.store;
    };
    planContract(current);
    spaceContract(current, clock);
    planFromSpacesContract(current);
    nodeContract(current);
    podContract(current);
    indexSourceContract(current, clock);
    tokenContract(current);
    auditContract(current, clock);
    teamContract(current);
  });
}
