import { describe, expect, it } from 'vitest';
import { parseLookupAddress } from '../../src/domain/lookup/lookup-address.js';
import { createServices } from '../../src/service/services.js';
import { TimeSlices } from '../../src/service/time-slices.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { turnsDuring } from '../support/event-loop-turns.js';

describe('a lookup of many addresses', () => {
  it('pauses on the clock its caller gives it, so that the work around it counts too', async () => {
    const store = openSqliteStore(':memory:');
    const { plans, lookups } = createServices(store);
    await plans.create({
      name: 'a',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/22' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    const asked = Array.from({ length: 200 }, (_, i) => parseLookupAddress(`10.240.0.${i}`));
    const addresses = asked.filter((a) => a !== undefined);
    const options = { limitPerIp: 20 };
    await lookups.lookup(addresses, options); // the index and the design are ready

    // A minute's slice never runs out here; one that has run out pauses after the first step.
    const unhurried = await turnsDuring(() =>
      lookups.lookup(addresses, options, undefined, new TimeSlices(60_000)),
    );
    const spent = await turnsDuring(() =>
      lookups.lookup(addresses, options, undefined, new TimeSlices(10, performance.now() - 10)),
    );
    expect(spent).toBeGreaterThan(unhurried); // the pause let the counter run

    // A slice always over ends each step after 8 addresses: every answer is still in its place.
    const whole = await lookups.lookup(addresses, options, undefined, new TimeSlices(60_000));
    let pieces: Awaited<ReturnType<typeof lookups.lookup>> = [];
    const turns = await turnsDuring(async () => {
      pieces = await lookups.lookup(addresses, options, undefined, new TimeSlices(0));
    });
    expect(pieces).toEqual(whole);
    expect(turns).toBeGreaterThanOrEqual(addresses.length / 8);
    await store.close();
  });
});
