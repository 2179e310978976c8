import type { IpAddress } from '../ip/index.js';
import { NodeDirectory } from '../nodes/node-directory.js';
import { matchSlot, type RealNode, type SlotRef } from '../nodes/real-node.js';
import type { PlanModel } from '../plan/plan-model.js';
import { AddressTimeline, type TimedInterval } from '../pods/address-timeline.js';
import type { PodAddress } from '../pods/pod-address.js';

const NONE: readonly RecordedInterval[] = [];
const MAX_SHARED_STRINGS = 4096;

function timelineOf(interval: RecordedInterval): AddressTimeline<RecordedInterval> {
  const timeline = new AddressTimeline<RecordedInterval>();
  timeline.add(interval);
  return timeline;
}

/** An interval as a plan's records keep it in memory: the address as canonical text. */
export interface RecordedInterval extends Omit<PodAddress, 'ip'>, TimedInterval {
  readonly ip: string;
}

/**
 * What one plan's records say, in memory: each address's pod intervals on a timeline, and the
 * recorded nodes. Host-network intervals are not kept: their address is their node's, which the
 * node records answer, so they never change an answer.
 */
export class PlanRecords {
  /** One interval alone (most addresses), or the timeline of several. */
  private readonly timelines = new Map<string, RecordedInterval | AddressTimeline<RecordedInterval>>();
  /** Namespaces, owners, nodes and import times repeat across thousands of rows: held once. */
  private readonly strings = new Map<string, string>();
  private nodes = new NodeDirectory([]);
  private slots: { model: PlanModel; byNode: Map<string, SlotRef | null> } | undefined;
  private intervals = 0;
  /**
   * Where the next catch-up starts: after the newest row read, and with the closes of the
   * plan's imports after the first `imports` (its count of pod imports when the read began).
   */
  lastSeq = 0;
  imports = 0;
  /** How often retention had deleted the plan's rows when it was read: a catch-up needs the same. */
  pruned = 0;

  /** Intervals and nodes held: what the memory budget counts. */
  get size(): number {
    return this.intervals + this.nodes.size;
  }

  /**
   * Adds the rows after the newest one read, in row order (a page of the plan's rows); a row
   * read before replaces what is held.
   */
  apply(rows: readonly RecordedInterval[]): void {
    const known = this.lastSeq;
    for (const row of rows) {
      if (row.seq > this.lastSeq) this.lastSeq = row.seq;
      this.put(row, row.seq > known);
    }
  }

  /**
   * Applies rows closed since the last catch-up to the intervals held. A row after the newest
   * one read is left alone: the next page of new rows reads it, and reading it here would skip
   * the rows between.
   */
  applyClosed(rows: readonly RecordedInterval[]): void {
    for (const row of rows) if (row.seq <= this.lastSeq) this.put(row, false);
  }

  private put(row: RecordedInterval, isNew: boolean): void {
    if (row.hostNetwork) return;
    const held = this.timelines.get(row.ip);
    // The address text of what is held already: each row brings its own copy.
    const ip = (held instanceof AddressTimeline ? held.any : held)?.ip ?? row.ip;
    const interval = this.compact(row, ip);
    if (held === undefined) {
      this.timelines.set(ip, interval);
      this.intervals++;
    } else if (!(held instanceof AddressTimeline) && held.seq === interval.seq) {
      this.timelines.set(ip, interval);
    } else {
      const timeline = held instanceof AddressTimeline ? held : timelineOf(held);
      const before = timeline.size;
      if (isNew) timeline.add(interval);
      else timeline.replace(interval);
      this.intervals += timeline.size - before;
      this.timelines.set(ip, timeline);
    }
  }

  /** The row with its repeated strings shared. */
  private compact(row: RecordedInterval, ip: string): RecordedInterval {
    return {
      seq: row.seq,
      ip,
      namespace: this.shared(row.namespace),
      pod: row.pod,
      ownerKind: this.shared(row.ownerKind),
      ownerName: this.shared(row.ownerName),
      node: this.shared(row.node),
      hostNetwork: false,
      from: this.shared(row.from),
      to: this.shared(row.to),
    };
  }

  private shared<S extends string | null>(text: S): S {
    if (text === null) return text;
    const known = this.strings.get(text);
    if (known !== undefined) return known as S;
    // Bounded: past it, later rows share among themselves (what is held keeps its strings).
    if (this.strings.size >= MAX_SHARED_STRINGS) this.strings.clear();
    this.strings.set(text, text);
    return text;
  }

  setNodes(nodes: readonly RealNode[]): void {
    this.nodes = new NodeDirectory(nodes);
    this.slots = undefined;
  }

  /**
   * The pods holding the address (canonical text) at `at`, by seq; without `at`, now. What
   * ended before `expiredBefore` (retention) is not answered, pruned or not.
   */
  podsAt(ip: string, at: string | undefined, expiredBefore = ''): readonly RecordedInterval[] {
    const held = this.timelines.get(ip);
    if (held === undefined) return NONE;
    if (held instanceof AddressTimeline) return held.at(at, expiredBefore);
    const { from, to } = held;
    const holds =
      at === undefined ? to === null : from <= at && (to === null || (at < to && to >= expiredBefore));
    return holds ? [held] : NONE;
  }

  /** As the store's `nodesAt`: nodes by node IP or by the pod CIDR holding an address. */
  nodesAt(nodeIps: readonly IpAddress[], podAddresses: readonly IpAddress[]): RealNode[] {
    return this.nodes.at(nodeIps, podAddresses);
  }

  nodeNamed(name: string | null): RealNode | undefined {
    return name === null ? undefined : this.nodes.named(name);
  }

  /** The slot of a recorded node in the plan's layout, computed once per node and layout. */
  slotOf(node: RealNode, model: PlanModel): SlotRef | null {
    if (this.slots?.model !== model) this.slots = { model, byNode: new Map() };
    let slot = this.slots.byNode.get(node.name);
    if (slot === undefined) {
      slot = matchSlot(model, node);
      this.slots.byNode.set(node.name, slot);
    }
    return slot;
  }

  /** Drops intervals closed before `cutoff` (retention); answers how many went. */
  forgetBefore(cutoff: string): number {
    let dropped = 0;
    for (const [ip, held] of this.timelines) {
      if (!(held instanceof AddressTimeline)) {
        if (held.to !== null && held.to < cutoff) {
          this.timelines.delete(ip);
          dropped++;
        }
        continue;
      }
      dropped += held.forgetBefore(cutoff);
      if (held.size === 0) this.timelines.delete(ip);
    }
    this.intervals -= dropped;
    this.strings.clear();
    return dropped;
  }
}
