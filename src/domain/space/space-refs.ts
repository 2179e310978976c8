import { smallestSubnetPrefix } from '../capacity/subnet-prefix.js';
import type { RangeKind } from '../design/range-kind.js';
import type { NetworkInput, NodePoolInput, PlanInput } from '../design/spec.js';
import { DomainError } from '../errors.js';
import { hostBitsFor } from '../ip/index.js';

/** "Take this range from a space": sized for the plan's upgrade requirement plus headroom. */
export interface SpaceRef {
  readonly fromSpace: string;
  readonly headroomPercent?: number;
}

export const DEFAULT_HEADROOM_PERCENT = 20;

type RangeField = string | SpaceRef;
type RefFields = 'nodeSubnet' | 'podSubnet' | 'podCidr';

/** A design whose node subnet, pod subnet or pod CIDR fields may each name a space instead. */
export type PlanRequest = Omit<PlanInput, 'network' | 'nodePools'> & {
  network?: Omit<NetworkInput, RefFields> & { [K in RefFields]?: RangeField };
  nodePools: (Omit<NodePoolInput, 'nodeSubnet' | 'podSubnet'> & {
    nodeSubnet?: RangeField;
    podSubnet?: RangeField;
  })[];
};

/** Where a design names a space, and the kind of range wanted there. */
export interface RefSite {
  readonly path: string;
  readonly kind: RangeKind;
  readonly ref: SpaceRef;
}

const KIND: Record<RefFields, RangeKind> = {
  nodeSubnet: 'node-subnet',
  podSubnet: 'pod-subnet',
  podCidr: 'pod-cidr',
};

/** The parts of a request that may name spaces: a calculation's request has no name to look at. */
type RangeParts = Pick<PlanRequest, 'network' | 'nodePools'>;

export function findSpaceRefs(request: RangeParts): RefSite[] {
  const sites: RefSite[] = [];
  const visit = (value: RangeField | undefined, path: string, field: RefFields) => {
    if (typeof value === 'object') sites.push({ path, kind: KIND[field], ref: value });
  };
  for (const field of ['nodeSubnet', 'podSubnet', 'podCidr'] as const)
    visit(request.network?.[field], `network.${field}`, field);
  request.nodePools.forEach((pool, i) => {
    visit(pool.nodeSubnet, `nodePools[${i}].nodeSubnet`, 'nodeSubnet');
    visit(pool.podSubnet, `nodePools[${i}].podSubnet`, 'podSubnet');
  });
  return sites;
}

/** The design with each space reference replaced by a CIDR, in site order. */
export function withRanges(
  request: PlanRequest,
  sites: readonly RefSite[],
  cidrs: readonly string[],
): PlanInput {
  const copy = structuredClone(request) as unknown as Record<string, unknown>;
  sites.forEach((site, i) => {
    const cidr = cidrs[i];
    if (cidr === undefined) throw new Error(`no range for ${site.path}`);
    setPath(copy, site.path, cidr);
  });
  return copy as unknown as PlanInput;
}

/**
 * Stand-in ranges that let the design be checked and laid out before its blocks exist: /12s of
 * 240.0.0.0/4 (reserved, never part of a design): 240.0.0.0/12, 240.16.0.0/12, ... Requirements
 * do not depend on where a range lies, so a stand-in of any size gives the block's size.
 */
export function placeholders(sites: readonly RefSite[]): string[] {
  return sites.map((_, i) => `${240 + Math.floor(i / 16)}.${(i % 16) * 16}.0.0/12`);
}

/**
 * The prefix of a block holding `required` addresses plus headroom: an Azure subnet (5 reserved)
 * for node and pod subnets, a plain prefix of at least a /24 for a pod CIDR, or what `subnetFor`
 * says a subnet must be to hold them (a static-block pod subnet loses its first and last /28).
 */
export function blockPrefix(
  site: RefSite,
  required: bigint,
  subnetFor: (addresses: bigint) => number | null = smallestSubnetPrefix,
): number {
  const headroom = BigInt(site.ref.headroomPercent ?? DEFAULT_HEADROOM_PERCENT);
  const wanted = (required * (100n + headroom) + 99n) / 100n;
  const prefix = site.kind === 'pod-cidr' ? podCidrPrefix(wanted) : subnetFor(wanted);
  if (prefix === null) {
    throw DomainError.invalid(
      'ADDRESSES_TOO_MANY',
      site.path,
      `${wanted} addresses do not fit any Azure subnet`,
    );
  }
  return prefix;
}

function podCidrPrefix(addresses: bigint): number {
  return Math.min(32 - hostBitsFor(addresses), 24);
}

function setPath(target: Record<string, unknown>, path: string, value: string): void {
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  const last = keys.pop();
  let node: Record<string, unknown> = target;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  if (last !== undefined) node[last] = value;
}

/** The design itself when it names no space; SPACE_REF_NOT_ALLOWED where ranges must be concrete. */
export function requireConcreteRanges<T extends RangeParts>(
  request: T,
  where: string,
): Omit<T, keyof RangeParts> & Pick<PlanInput, keyof RangeParts> {
  const [site] = findSpaceRefs(request);
  if (site !== undefined) {
    throw DomainError.invalid(
      'SPACE_REF_NOT_ALLOWED',
      site.path,
      `${site.path} names a space; ${where} takes concrete ranges (spaces are allocated when a plan is created)`,
    );
  }
  return request as unknown as Omit<T, keyof RangeParts> & Pick<PlanInput, keyof RangeParts>;
}
