import { describe, expect, it } from 'vitest';
import { PlanRecords, type RecordedInterval } from '../../../src/domain/records/plan-records.js';

const T = (minute: number) => new Date(Date.UTC(2026, 10, 30, 14, minute)).toISOString();
const row = (
  seq: number,
  ip: string,
  pod: string,
  from: number,
  to: number | null,
  hostNetwork = false,
): RecordedInterval => ({
  seq,
  ip,
  namespace: 'shop',
  pod,
  ownerKind: 'ReplicaSet',
  ownerName: 'web',
  node: 'n0',
  hostNetwork,
  from: T(from),
  to: to === null ? null : T(to),
});
const names = (held: readonly RecordedInterval[]) => held.map((i) => i.pod);

describe("a plan's records in memory", () => {
  it('answers an address held once, then by several pods in turn, at any time', () => {
    const records = new PlanRecords();
    records.apply([row(1, '10.0.0.1', 'a', 0, null), row(2, '10.0.0.2', 'b', 0, null)]);
    expect(records.size).toBe(2);
    expect(names(records.podsAt('10.0.0.1', undefined))).toEqual(['a']);
    expect(names(records.podsAt('10.0.0.1', T(5)))).toEqual(['a']);
    expect(records.podsAt('10.0.0.1', T(-1))).toEqual([]);
    // A catch-up: a closed at 10 (read again), c opened at 10 on the same address.
    records.apply([row(3, '10.0.0.1', 'c', 10, null)]);
    records.applyClosed([row(1, '10.0.0.1', 'a', 0, 10)]);
    expect(records.size).toBe(3);
    expect(records.lastSeq).toBe(3);
    expect(names(records.podsAt('10.0.0.1', T(9)))).toEqual(['a']);
    expect(names(records.podsAt('10.0.0.1', T(10)))).toEqual(['c']);
    expect(names(records.podsAt('10.0.0.1', undefined))).toEqual(['c']);
  });

  it('leaves host-network pods out, and closed rows it has not read yet to the next page', () => {
    const records = new PlanRecords();
    records.apply([row(1, '10.0.0.1', 'a', 0, null), row(2, '10.224.0.4', 'agent', 0, null, true)]);
    expect(records.size).toBe(1);
    expect(records.podsAt('10.224.0.4', undefined)).toEqual([]);
    // Row 3 was opened and closed after the last page: the closes pass must not take it (and
    // so jump past rows 3's neighbours); the next page of new rows does.
    records.applyClosed([row(3, '10.0.0.3', 'x', 5, 8)]);
    expect(records.lastSeq).toBe(2);
    expect(records.podsAt('10.0.0.3', T(6))).toEqual([]);
    records.apply([row(3, '10.0.0.3', 'x', 5, 8)]);
    expect(names(records.podsAt('10.0.0.3', T(6)))).toEqual(['x']);
  });

  it('answers nothing that ended before retention, pruned or not, and prunes it', () => {
    const records = new PlanRecords();
    records.apply([
      row(1, '10.0.0.1', 'old', 0, 10),
      row(2, '10.0.0.1', 'new', 10, null),
      row(3, '10.0.0.2', 'gone', 0, 5),
    ]);
    expect(names(records.podsAt('10.0.0.1', T(5), T(20)))).toEqual([]);
    expect(records.podsAt('10.0.0.2', T(1), T(20))).toEqual([]);
    expect(names(records.podsAt('10.0.0.1', T(5), T(10)))).toEqual(['old']); // ended at the cutoff: kept
    expect(records.forgetBefore(T(20))).toBe(2);
    expect(records.size).toBe(1);
    expect(names(records.podsAt('10.0.0.1', T(15)))).toEqual(['new']);
    expect(records.podsAt('10.0.0.1', T(5))).toEqual([]);
  });
});
