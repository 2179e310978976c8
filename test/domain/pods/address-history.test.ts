import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IpAddress } from '../../../src/domain/ip/index.js';
import {
  type AddressInterval,
  heldAt,
  historyTime,
  ImportComparison,
  importChangeSteps,
  importChanges,
} from '../../../src/domain/pods/address-history.js';
import { holderKey, ObservedPods, type PodAddress } from '../../../src/domain/pods/pod-address.js';

/** Few addresses, pods and nodes, so that pods appear, move and disappear often. */
const podArb: fc.Arbitrary<PodAddress> = fc
  .record({
    ip: fc.integer({ min: 1, max: 4 }),
    pod: fc.constantFrom('a', 'b', 'c'),
    node: fc.constantFrom('n0', 'n1'),
  })
  .map(({ ip, pod, node }) => ({
    ip: IpAddress.parse(`10.0.0.${ip}`),
    namespace: 'default',
    pod,
    ownerKind: 'ReplicaSet',
    ownerName: 'web',
    node,
    hostNetwork: false,
  }));
const importsArb = fc.array(fc.array(podArb, { maxLength: 6 }), { minLength: 1, maxLength: 8 });
const time = (minute: number) => new Date(Date.UTC(2026, 10, 30, 14, minute)).toISOString();

/** The history as a store keeps it: every interval, open ones with to null. */
function replay(imports: readonly PodAddress[][]): AddressInterval[] {
  let all: AddressInterval[] = [];
  imports.forEach((seen, k) => {
    const at = time(k * 10);
    const open = all.filter((i) => i.to === null);
    const { close, opened } = importChanges(open, holderKey, ObservedPods.of(seen), at);
    all = all.map((i) => (close.includes(i) ? { ...i, to: at } : i)).concat(opened);
  });
  return all;
}

describe('address history', () => {
  it('answers at any time what the last import before it saw (a reference of snapshots)', () => {
    fc.assert(
      fc.property(
        importsArb,
        fc.integer({ min: -5, max: 90 }),
        fc.integer({ min: 1, max: 4 }),
        (imports, minute, ip) => {
          const history = replay(imports);
          const at = time(minute);
          const address = `10.0.0.${ip}`;
          const answer = history.filter((i) => i.ip.toString() === address && heldAt(i, at)).map(holderKey);
          const last = imports.findLastIndex((_, k) => time(k * 10) <= at);
          const snapshot = last < 0 ? [] : (imports[last] ?? []).filter((p) => p.ip.toString() === address);
          expect(new Set(answer)).toEqual(new Set(snapshot.map(holderKey)));
          expect(answer.length).toBe(new Set(answer).size);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('grows with changes, not with imports: the same cluster imported again adds nothing', () => {
    fc.assert(
      fc.property(fc.array(podArb, { maxLength: 6 }), fc.integer({ min: 2, max: 20 }), (pods, times) => {
        const once = replay([pods]);
        expect(replay(Array.from({ length: times }, () => pods))).toEqual(once);
      }),
    );
  });

  it('compares in steps of at most perStep intervals or pods, to the same answer', () => {
    fc.assert(
      fc.property(
        fc.array(podArb, { maxLength: 12 }),
        fc.array(podArb, { maxLength: 12 }),
        (before, seen) => {
          const open = importChanges([], holderKey, ObservedPods.of(before), time(0)).opened;
          const observed = ObservedPods.of(seen);
          const steps = importChangeSteps(open, holderKey, observed, time(10), 3);
          let paused = 0;
          let step = steps.next();
          for (; !step.done; step = steps.next()) paused++;
          expect(step.value).toEqual(importChanges(open, holderKey, observed, time(10)));
          const compared = open.length + observed.size;
          expect(paused).toBe(Math.floor(compared / 3));
        },
      ),
    );
  });

  it('compares the open intervals a piece at a time, as a store reads them, to the same answer', () => {
    fc.assert(
      fc.property(
        fc.array(podArb, { maxLength: 12 }),
        fc.array(podArb, { maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 4 }),
        (before, seen, cuts) => {
          // Twice over, so that some intervals share a key: both stay open while it is seen.
          const once = importChanges([], holderKey, ObservedPods.of(before), time(0)).opened;
          const open = [...once, ...once.slice(0, 2)];
          const observed = ObservedPods.of(seen);
          const comparison = new ImportComparison(holderKey, observed, time(10));
          const ends = [...cuts.map((c) => Math.min(c, open.length)).sort((a, b) => a - b), open.length];
          let from = 0;
          for (const end of ends) {
            [...comparison.compare(open.slice(from, Math.max(from, end)))];
            from = Math.max(from, end);
          }
          const changes = comparison.changes();
          let step = changes.next();
          while (!step.done) step = changes.next();
          expect(step.value).toEqual(importChanges(open, holderKey, observed, time(10)));
          // Against the definition: what is no longer seen closes, what was not open opens.
          const seenKeys = new Set(seen.map(holderKey));
          const openKeys = new Set(open.map(holderKey));
          expect(step.value.close).toEqual(open.filter((i) => !seenKeys.has(holderKey(i))));
          expect(step.value.opened.map(holderKey)).toEqual([...seenKeys].filter((k) => !openKeys.has(k)));
        },
      ),
    );
  });

  it('reads RFC 3339 times, with a zone, and nothing else', () => {
    expect(historyTime('2026-11-30T14:03:00Z')).toBe('2026-11-30T14:03:00.000Z');
    expect(historyTime('2026-11-30T15:03:00+01:00')).toBe('2026-11-30T14:03:00.000Z');
    for (const bad of ['2026-11-30', '2026-11-30T14:03:00', 'yesterday', '2026-13-40T99:00:00Z', '']) {
      expect(historyTime(bad), bad).toBeUndefined();
    }
  });

  it('refuses fields out of their range rather than rolling them over', () => {
    const rolled = [
      '2026-02-30T00:00:00Z',
      '2026-11-30T24:00:00Z',
      '2026-11-30T14:60:00Z',
      '2026-04-31T00:00:00Z',
      '2026-11-30T14:03:00+24:00',
      '2026-00-10T00:00:00Z',
    ];
    for (const bad of rolled) expect(historyTime(bad), bad).toBeUndefined();
    expect(historyTime('2024-02-29T23:59:59.5-00:30')).toBe('2024-03-01T00:29:59.500Z');
    expect(historyTime('2025-02-29T00:00:00Z')).toBeUndefined();
  });
});
