import type { RangeCapacity } from '../capacity/range-capacity.js';
import type { NodePoolSpec } from '../design/spec.js';
import { type Cidr, IpAddress } from '../ip/index.js';
import type { NodeSlot } from '../layout/layout-types.js';
import type { PlannedDesign } from '../plan/planner.js';
import { allSteps } from '../steps.js';

/** What a stretch of a range is, as the map colours it. */
export type SegmentClass =
  | 'reserved'
  | 'current'
  | 'growth'
  | 'surge'
  | 'reservation'
  | 'pods'
  | 'service'
  | 'free';

/** A stretch of one range, in address offsets from its first address (`to` excluded). */
export interface Segment {
  readonly from: bigint;
  readonly to: bigint;
  readonly cls: SegmentClass;
  readonly title: string;
}

/** One band of the map: a range, its capacity, its segments, and how many addresses it lacks. */
export interface Band {
  readonly range: RangeCapacity;
  readonly segments: readonly Segment[];
  /** Addresses the range lacks during an upgrade at the maxima (0 when it fits). */
  readonly shortfall: bigint;
  /** Slots that do not fit in the range. */
  readonly overflowSlots: number;
}

/** Slots read at once: a plan has at most a few thousand (5,000 nodes plus surge). */
const SLOT_PAGE = 1000;

/** Slots drawn between two steps of `bandSteps`. */
const SLOTS_PER_STEP = 500;

/** The bands of a design: one per range it lays out (not its VNet), in the capacity's order. */
export function bandsOf(design: PlannedDesign): Band[] {
  return allSteps(bandSteps(design));
}

/**
 * The bands of a design, worked out in steps of a page of slots, SLOTS_PER_STEP slots of a
 * band, or a band: a caller that must not hold the event loop for the largest plans pauses
 * between them.
 */
export function* bandSteps(design: PlannedDesign): Generator<void, Band[]> {
  const byPool = new Map<string, NodeSlot[]>();
  const total = design.model.slotCount();
  for (let offset = 0; offset < total; offset += SLOT_PAGE) {
    for (const slot of design.model.slots({ offset, limit: SLOT_PAGE })) {
      const slots = byPool.get(slot.pool);
      if (slots === undefined) byPool.set(slot.pool, [slot]);
      else slots.push(slot);
    }
    yield;
  }
  const stateOf = slotStates(design.spec.nodePools);
  const bands: Band[] = [];
  for (const range of design.model.rangeCapacity()) {
    // A step between bands too: 200 subnets of a few slots each are as long as one large band.
    if (bands.length > 0) yield;
    bands.push(yield* band(design, range, rangeSlots(design, range, byPool), stateOf));
  }
  return bands;
}

/**
 * The slots that may hold addresses of a range: those of the pools on that subnet, every pool's
 * for a pod CIDR. A band looks at its own pools only: 100 pools on their own subnets would
 * otherwise cost every slot times every band.
 */
function rangeSlots(
  design: PlannedDesign,
  range: RangeCapacity,
  byPool: ReadonlyMap<string, readonly NodeSlot[]>,
): readonly NodeSlot[] {
  if (range.kind === 'pod-cidr') return [...byPool.values()].flat();
  if (range.kind === 'service-cidr') return [];
  const { network } = design.spec;
  const cidr = range.cidr.toString();
  const subnetOf = (pool: NodePoolSpec) =>
    range.kind === 'node-subnet'
      ? (pool.nodeSubnet ?? network.nodeSubnet)
      : (pool.podSubnet ?? network.podSubnet);
  return design.spec.nodePools
    .filter((pool) => subnetOf(pool) === cidr)
    .flatMap((pool) => byPool.get(pool.name) ?? []);
}

/** Whether a pool's slot holds a current node, autoscaler growth, or upgrade surge. */
function slotStates(pools: readonly NodePoolSpec[]): (slot: NodeSlot) => 'current' | 'growth' | 'surge' {
  const byName = new Map(pools.map((p) => [p.name, p]));
  return (slot) => {
    const pool = byName.get(slot.pool);
    if (pool === undefined || slot.index < pool.nodeCount) return 'current';
    return slot.index < (pool.maxCount ?? pool.nodeCount) ? 'growth' : 'surge';
  };
}

function* band(
  design: PlannedDesign,
  range: RangeCapacity,
  slots: readonly NodeSlot[],
  stateOf: (slot: NodeSlot) => 'current' | 'growth' | 'surge',
): Generator<void, Band> {
  const { cidr } = range;
  const taken: Segment[] = [];
  for (const [i, slot] of slots.entries()) {
    if (i > 0 && i % SLOTS_PER_STEP === 0) yield;
    const cls = stateOf(slot);
    for (const [first, last, what] of slotIntervals(slot, range)) {
      const [from, to] = [cidr.offsetOf(first), cidr.offsetOf(last)];
      if (from === undefined || to === undefined) continue;
      taken.push({ from, to: to + 1n, cls, title: `${slot.pool} node ${slot.index} (${cls}): ${what}` });
    }
  }
  const blocks = range.kind === 'pod-subnet' && design.spec.network.podIpAllocation === 'static-block';
  const reserved = blocks ? outsideBlocks(cidr) : isSubnet(range) ? azureReserved(cidr) : [];
  const special = range.kind === 'service-cidr' ? serviceAddresses(design, cidr) : [];
  const dynamic = range.kind === 'pod-subnet' && taken.length === 0 ? dynamicPods(range) : [];
  const known = [...reserved, ...special, ...dynamic, ...taken].sort((a, b) => (a.from < b.from ? -1 : 1));
  return {
    range,
    segments: withGaps(design, range, known),
    shortfall: range.free < 0n ? -range.free : 0n,
    // A range with room has no slot of its own left over: a dual-stack IPv6 pod CIDR whose
    // slots lack an IPv4 /24, say.
    overflowSlots:
      range.free < 0n
        ? slots.filter((s) => !s.fits && slotIntervals(s, range).length === 0 && claims(s, range)).length
        : 0,
  };
}

/** The address intervals a slot holds in a range, with what they are. */
function slotIntervals(slot: NodeSlot, range: RangeCapacity): [IpAddress, IpAddress, string][] {
  const { cidr } = range;
  const found: [IpAddress, IpAddress, string][] = [];
  if (range.kind === 'node-subnet' && slot.nodeIp !== null && cidr.contains(slot.nodeIp)) {
    const last = slot.podRange?.last ?? slot.nodeIp;
    const pods = slot.podRange ? `, pods ${slot.podRange.first}-${slot.podRange.last}` : '';
    const nodeIp = slot.nodeIp;
    found.push([nodeIp, last, `node ${nodeIp}${pods}`]);
  }
  if (range.kind === 'node-subnet') return found;
  // Dual-stack slots list their IPv4 block in podCidrs too.
  const pods = (slot.podCidrs ?? [slot.podCidr ?? null]).filter(
    (b): b is Cidr => b !== null && cidr.covers(b),
  );
  for (const block of pods) found.push([block.first, block.last, `pods ${block}`]);
  // A node's /28 blocks are one stretch where they follow each other (16 for maxPods 250).
  const blocks = (slot.podBlocks ?? []).filter((b) => cidr.covers(b));
  for (let i = 0; i < blocks.length; ) {
    let j = i;
    while (j + 1 < blocks.length && blocks[j + 1]?.first.distanceFrom(blocks[j]?.last as IpAddress) === 1n)
      j++;
    const [first, last] = [blocks[i] as Cidr, blocks[j] as Cidr];
    const count = j - i + 1;
    found.push([
      first.first,
      last.last,
      count === 1 ? `pods ${first}` : `pods ${first.first}-${last.last} (${count} blocks)`,
    ]);
    i = j + 1;
  }
  return found;
}

/**
 * Whether a slot that does not fit would have taken addresses of this range. A slot without a
 * node IP is never created, so it asks no pod range for any.
 */
function claims(slot: NodeSlot, range: RangeCapacity): boolean {
  if (range.kind === 'node-subnet') return slot.nodeIp === null;
  if (slot.nodeIp === null) return false;
  if (range.kind === 'pod-cidr')
    return slot.podCidr === null || (slot.podCidrs ?? []).some((c) => c === null);
  return range.kind === 'pod-subnet' && slot.podBlocks === null;
}

const isSubnet = (range: RangeCapacity) => range.kind === 'node-subnet' || range.kind === 'pod-subnet';

/** Azure's five: the first four addresses of a subnet and its last. */
function azureReserved(cidr: Cidr): Segment[] {
  const last = cidr.size - 1n;
  return [
    { from: 0n, to: 4n, cls: 'reserved', title: `Azure reserved: ${cidr.at(0)}-${cidr.at(3)}` },
    { from: last, to: cidr.size, cls: 'reserved', title: `Azure reserved: ${cidr.at(last)}` },
  ];
}

/**
 * A static-block pod subnet hands out /28 blocks from its second: the first and last blocks hold
 * Azure's reserved addresses, and none of their addresses is assignable.
 */
function outsideBlocks(cidr: Cidr): Segment[] {
  if (cidr.size < 32n)
    return [{ from: 0n, to: cidr.size, cls: 'reserved', title: `no /28 block fits: ${cidr}` }];
  const last = cidr.size - 16n;
  const title = (from: bigint) =>
    `not in a /28 block (Azure reserved addresses): ${cidr.at(from)}-${cidr.at(from + 15n)}`;
  return [
    { from: 0n, to: 16n, cls: 'reserved', title: title(0n) },
    { from: last, to: cidr.size, cls: 'reserved', title: title(last) },
  ];
}

/**
 * What a service CIDR holds for sure: the addresses Kubernetes never assigns (the network address,
 * and an IPv4 range's broadcast address), the kubernetes API service and the DNS service, wherever
 * the design put it. A range too small to hold some of them holds what it can.
 */
function serviceAddresses(design: PlannedDesign, cidr: Cidr): Segment[] {
  const dns = IpAddress.tryParse(design.spec.network.dnsServiceIp ?? '');
  const dnsOffset = dns === undefined ? undefined : cidr.offsetOf(dns);
  const offsets = new Set([0n, 1n, cidr.size - 1n, ...(dnsOffset === undefined ? [] : [dnsOffset])]);
  const found: Segment[] = [];
  for (const offset of [...offsets].filter((o) => o < cidr.size).sort((a, b) => (a < b ? -1 : 1))) {
    const address = cidr.at(offset);
    const [match] = design.model.lookupIn('service-cidr', address);
    if (match === undefined || match.role === 'service') continue;
    const unassigned = match.role === 'unassigned';
    found.push({
      from: offset,
      to: offset + 1n,
      cls: unassigned ? 'reserved' : 'service',
      title: unassigned ? `never assigned to a service: ${address}` : `${match.role}: ${address}`,
    });
  }
  return found;
}

/** A dynamic pod subnet hands out batches as pods come: drawn as the addresses it needs. */
function dynamicPods(range: RangeCapacity): Segment[] {
  const need = range.required.duringUpgrade;
  const end = need + 4n < range.cidr.size - 1n ? need + 4n : range.cidr.size - 1n;
  return need === 0n
    ? []
    : [
        {
          from: 4n,
          to: end,
          cls: 'pods',
          title: `pods, allocated dynamically: ${need} addresses at the maxima during an upgrade`,
        },
      ];
}

/** The known segments with what lies between them: reservations, or free space. */
function withGaps(design: PlannedDesign, range: RangeCapacity, known: readonly Segment[]): Segment[] {
  const { cidr } = range;
  const all: Segment[] = [];
  let at = 0n;
  const reservedAt = (offset: bigint) => {
    const role = design.model.lookupIn(range.kind, cidr.at(offset))[0]?.role;
    return role === 'load-balancer' || role === 'private-endpoint' ? role : undefined;
  };
  const push = (from: bigint, to: bigint, cls: SegmentClass, what: string) =>
    all.push({ from, to, cls, title: `${what}: ${cidr.at(from)}-${cidr.at(to - 1n)}` });
  const gap = (to: bigint) => {
    if (to <= at) return;
    // Reservations come first in a gap, one run: its end is found by halving, not by walking.
    const role = reservedAt(at);
    let end = at;
    if (role !== undefined) {
      let [low, high] = [at, to - 1n];
      while (low < high) {
        const mid = (low + high + 1n) / 2n;
        if (reservedAt(mid) !== undefined) low = mid;
        else high = mid - 1n;
      }
      end = low + 1n;
      push(at, end, 'reservation', `reserved for ${reservationWords(role, reservedAt(low))}`);
    }
    if (end < to) push(end, to, 'free', 'free');
  };
  for (const segment of known) {
    if (segment.from < at) continue; // overlapping claims (a shared subnet): the first stays
    gap(segment.from);
    all.push(segment);
    at = segment.to;
  }
  gap(cidr.size);
  return all;
}

/**
 * What a run of reservations holds, from its first and last address: load balancer frontends
 * come first, then private endpoints (a private cluster's API server endpoint among them).
 */
function reservationWords(first: string | undefined, last: string | undefined): string {
  const lbs = first === 'load-balancer';
  const pes = last === 'private-endpoint';
  if (lbs && pes) return 'load balancer frontends and private endpoints';
  return lbs ? 'load balancer frontends' : 'private endpoints';
}
