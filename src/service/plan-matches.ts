/**
 * What a lookup answers of an address in one plan's range: the layout's match, or a recorded
 * pod's, named with its plan. Classes for the matches a lookup makes by the million.
 */
import type { PlatformRole } from '../domain/design/platform-roles.js';
import { IpAddress } from '../domain/ip/index.js';
import type { AddressMatch } from '../domain/layout/layout-types.js';
import type { SubnetMatch } from '../domain/layout/subnet-locator.js';
import type { SourcedMatch } from '../domain/nodes/recorded-matches.js';
import type { PlannedDesign } from '../domain/plan/planner.js';
import type { PodRef, RecordedPodMatch } from '../domain/pods/recorded-pods.js';
import type { IndexEntry } from './plan-index.js';

export interface PlanMatch extends SourcedMatch {
  readonly planId: string;
  readonly planName: string;
  /** A recorded pod: who held the address, and the interval of the records that says so. */
  readonly pod?: PodRef;
  readonly interval?: { readonly from: string; readonly to: string | null };
  /** The node IP's 32-bit value, where it is IPv4 and known as a number: writers skip the address. */
  readonly nodeIpv4?: number | undefined;
}

/** What the plan's layout says of an address, in this one range (none once the plan is gone). */
export function rangeMatches(
  design: PlannedDesign | undefined,
  entry: IndexEntry,
  ip: IpAddress,
): AddressMatch[] {
  if (design === undefined) return []; // deleted since the index was read
  const matches = design.model.lookupIn(entry.kind, ip);
  // Both ranges hold the address, so they are the same range exactly when their lengths agree.
  const [only] = matches;
  return matches.length === 1 && only?.range.prefixLength === entry.cidr.prefixLength
    ? matches
    : matches.filter((m) => m.range.prefixLength === entry.cidr.prefixLength);
}

/** A layout match named with its plan; node and pod matches are predicted (no node recorded). */
export function planMatch(match: AddressMatch, entry: IndexEntry): PlanMatch {
  const { role, kind, range, pool, nodeIndex, nodeIp, note } = match;
  const located = new PredictedMatch(role, kind, range, pool, nodeIndex, nodeIp, note, entry);
  if (match.name !== undefined) located.name = match.name;
  if (match.subnetRole !== undefined) located.subnetRole = match.subnetRole;
  return located;
}

export function locatedMatch(match: SubnetMatch, entry: IndexEntry): PlanMatch {
  const { role, pool, nodeIndex, nodeIpValue } = match;
  return new PredictedMatch(role, 'node-subnet', entry.cidr, pool, nodeIndex, nodeIpValue, undefined, entry);
}

/**
 * A class, not a literal: one hidden class for millions of matches keeps this path fast. An
 * IPv4 node IP stays a number until it is read.
 */
class PredictedMatch implements PlanMatch {
  readonly planId: string;
  readonly planName: string;
  readonly source: 'predicted' | undefined;
  readonly nodeIpv4: number | undefined;
  /** Platform subnet matches only: set after construction, so the hot path passes two fewer arguments. */
  name: string | undefined = undefined;
  subnetRole: PlatformRole | undefined = undefined;
  #nodeIp: IpAddress | undefined;

  constructor(
    readonly role: AddressMatch['role'],
    readonly kind: AddressMatch['kind'],
    readonly range: AddressMatch['range'],
    readonly pool: string | undefined,
    readonly nodeIndex: number | undefined,
    nodeIp: IpAddress | number | undefined,
    readonly note: string | undefined,
    entry: IndexEntry,
  ) {
    this.planId = entry.planId;
    this.planName = entry.planName;
    this.source = role === 'node' || role === 'pod' ? 'predicted' : undefined;
    if (typeof nodeIp === 'number') this.nodeIpv4 = nodeIp;
    else {
      this.nodeIpv4 = undefined;
      this.#nodeIp = nodeIp;
    }
  }

  get nodeIp(): IpAddress | undefined {
    if (this.#nodeIp === undefined && this.nodeIpv4 !== undefined)
      this.#nodeIp = IpAddress.ipv4(this.nodeIpv4);
    return this.#nodeIp;
  }
}

/** A recorded pod's match named with its plan: one hidden class, as `PredictedMatch`, for writers. */
export class RecordedMatch implements PlanMatch {
  readonly planId: string;
  readonly planName: string;
  readonly role: 'pod';
  readonly kind: AddressMatch['kind'];
  readonly range: AddressMatch['range'];
  readonly pool: string | undefined;
  readonly nodeIndex: number | undefined;
  readonly nodeIp: IpAddress | undefined;
  readonly nodeIpv4: undefined;
  readonly nodeName: string | undefined;
  readonly source: 'recorded';
  readonly pod: PodRef;
  readonly interval: { readonly from: string; readonly to: string | null };

  constructor(match: RecordedPodMatch, entry: IndexEntry) {
    this.planId = entry.planId;
    this.planName = entry.planName;
    this.role = match.role;
    this.kind = match.kind;
    this.range = match.range;
    this.pool = match.pool;
    this.nodeIndex = match.nodeIndex;
    this.nodeIp = match.nodeIp;
    this.nodeName = match.nodeName;
    this.source = match.source;
    this.pod = match.pod;
    this.interval = match.interval;
  }
}

/** The layout's matches with what the recorded nodes say, named with their plan. */
export function pushSourced(matches: PlanMatch[], entry: IndexEntry, sourced: readonly SourcedMatch[]): void {
  for (const match of sourced) matches.push({ ...match, planId: entry.planId, planName: entry.planName });
}
