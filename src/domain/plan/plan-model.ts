import type { RangeCapacity } from '../capacity/range-capacity.js';
import { type Verdict, worstVerdict } from '../capacity/verdict.js';
import { inAksCreatedVnet } from '../design/aks-vnet.js';
import type { RangeKind } from '../design/range-kind.js';
import type { ResolvedPlan } from '../design/resolved-plan.js';
import type { Warning } from '../design/warning.js';
import { type PublicIpCount, publicIpCount } from '../egress/public-ips.js';
import { type SnatCapacity, snatCapacity } from '../egress/snat.js';
import type { Cidr, IpAddress } from '../ip/index.js';
import type { ClusterLayout, SlotQuery } from '../layout/cluster-layout.js';
import type { AddressMatch, NodeSlot, PlanRange } from '../layout/layout-types.js';
import { lookupService, serviceCapacity } from '../layout/service-range.js';
import type { SubnetLocator } from '../layout/subnet-locator.js';
import { PlatformAddresses } from '../vnet/platform-lookup.js';
import { clusterRouteTable, type NodeRoute } from '../vnet/route-table.js';
import { type VnetView, vnetView } from '../vnet/vnet-view.js';
import { placementWarnings } from '../vnet/vnet-warnings.js';
import { maxReach, type PoolReach, rangeSlopes } from './max-reach.js';

export interface CapacityReport {
  readonly verdict: Verdict;
  readonly ranges: readonly RangeCapacity[];
  /** Present when the design has an outbound section. */
  readonly snat?: SnatCapacity;
  readonly maxReach: readonly PoolReach[];
  /** The public IPs the design consumes. */
  readonly publicIps: PublicIpCount;
  readonly recommendation: {
    readonly nodeSubnetPrefixLength: number | null;
    readonly podCidrPrefixLength: number | null;
    /** Dual-stack designs: for the IPv6 pod CIDR (a /80 per node). */
    readonly ipv6PodCidrPrefixLength?: number | null;
    /** Designs with platform subnets: the smallest VNet that holds every subnet. */
    readonly vnetPrefixLength?: number | null;
  };
}

/** A valid design laid out: the plugin's answers plus the service CIDRs every plugin shares. */
export class PlanModel {
  constructor(
    readonly plan: ResolvedPlan,
    private readonly layout: ClusterLayout,
    private readonly exclusiveNodeSubnets: boolean,
  ) {}

  /**
   * The platform subnets' and recorded addresses' answers, and the VNet view: built when first
   * asked, once. A design is immutable and cached across requests, while the variants max reach
   * lays out never ask for either.
   */
  private platformAnswers: PlatformAddresses | undefined;
  private vnetAnswer: VnetView | undefined;

  private get platform(): PlatformAddresses {
    this.platformAnswers ??= new PlatformAddresses(this.plan);
    return this.platformAnswers;
  }

  slotCount(pool?: string): number {
    return this.layout.slotCount(pool);
  }

  slots(query: SlotQuery): NodeSlot[] {
    return this.layout.slots(query);
  }

  ranges(): PlanRange[] {
    const services = this.plan.serviceCidrs.map((cidr) => ({ kind: 'service-cidr' as const, cidr }));
    const own = this.layout.ranges().map((r) => (r.kind === 'node-subnet' ? this.nodeSubnetRange(r) : r));
    const vnet = this.plan.vnet.map((cidr) => ({ kind: 'vnet' as const, cidr }));
    return [...own, ...services, ...this.platform.ranges(), ...vnet];
  }

  /** kubenet's node subnet is the cluster's alone; one in the VNet AKS creates is in no one else's VNet. */
  private nodeSubnetRange(range: PlanRange): PlanRange {
    if (inAksCreatedVnet(this.plan.spec)) return { ...range, inAksCreatedVnet: true };
    return this.exclusiveNodeSubnets ? { ...range, exclusive: true } : range;
  }

  lookup(address: IpAddress): AddressMatch[] {
    return [
      ...this.layout.lookup(address),
      ...this.lookupServices(address),
      ...this.platform.lookup(address),
    ];
  }

  /** What only the laid-out VNet shows (a firewall or private-endpoints subnet without room). */
  placementWarnings(): Warning[] {
    return placementWarnings(this.plan);
  }

  /** The whole VNet: every subnet with its CIDR, what is free, and the cluster's route table. */
  vnet(): VnetView {
    this.vnetAnswer ??= vnetView(this.plan, clusterRouteTable(this.plan, this.kubenetNodeRoutes()));
    return this.vnetAnswer;
  }

  /** kubenet: one route per current node (a pool's first nodeCount slots), as AKS writes them. */
  private kubenetNodeRoutes(): NodeRoute[] {
    if (this.plan.spec.network.plugin !== 'kubenet') return [];
    return this.plan.pools.flatMap((pool) =>
      this.layout
        .slots({ pool: pool.spec.name, offset: 0, limit: pool.size.current })
        .flatMap((slot) =>
          slot.podCidr == null || slot.nodeIp === null
            ? []
            : [{ pool: slot.pool, index: slot.index, podCidr: slot.podCidr, nodeIp: slot.nodeIp }],
        ),
    );
  }

  /** The locator of the plan's node subnet with exactly this CIDR (IPv4: every Azure subnet). */
  nodeSubnetLocator(cidr: Cidr): SubnetLocator | undefined {
    return this.layout.nodeSubnetLocator(cidr);
  }

  /** The matches of `address` in the plan's ranges of one kind: what an index of ranges asks. */
  lookupIn(kind: RangeKind, address: IpAddress): AddressMatch[] {
    if (kind === 'service-cidr') return this.lookupServices(address);
    if (kind === 'platform-subnet' || kind === 'known-ip') {
      return this.platform.lookup(address).filter((m) => m.kind === kind);
    }
    return this.layout.lookup(address);
  }

  private lookupServices(address: IpAddress): AddressMatch[] {
    const { serviceCidrs, dnsServiceIp } = this.plan;
    const at = serviceCidrs.findIndex((cidr) => cidr.contains(address));
    const cidr = serviceCidrs[at];
    return cidr === undefined ? [] : lookupService(cidr, dnsServiceIp, address, at === 0);
  }

  /** Addresses one more node of each pool takes, range by range. */
  addressesPerNode(): {
    pool: string;
    ranges: { kind: RangeCapacity['kind']; cidr: string; addresses: bigint }[];
  }[] {
    const ranges = this.rangeCapacity();
    return this.plan.spec.nodePools.map((pool, i) => ({
      pool: pool.name,
      ranges: rangeSlopes(this.plan.spec, i, ranges).map(({ range, perNode }) => ({
        kind: range.kind,
        cidr: range.cidr.toString(),
        addresses: perNode,
      })),
    }));
  }

  /**
   * Every range's capacity, without SNAT or max reach. Worked out on each call and not kept: a
   * cached design that only answers lookups would hold its ranges' explanations for nothing.
   */
  rangeCapacity(): readonly RangeCapacity[] {
    const { serviceCidrs, dnsServiceIp } = this.plan;
    const services = serviceCidrs.map((cidr, i) => serviceCapacity(cidr, dnsServiceIp, i === 0));
    return [...this.layout.capacity(), ...services];
  }

  /** The verdict, every range's capacity and SNAT: the capacity report without what-ifs. */
  headroom(): Pick<CapacityReport, 'verdict' | 'ranges' | 'snat'> {
    const ranges = this.rangeCapacity();
    const outbound = this.plan.spec.outbound;
    const snat = outbound === undefined ? undefined : snatCapacity(this.plan.spec, outbound);
    const vnet = this.plan.platformSubnets.length === 0 ? [] : [this.vnet().verdict];
    const verdicts = [
      ...ranges.map((r) => r.verdict),
      ...(snat === undefined ? [] : [snat.verdict]),
      ...vnet,
    ];
    return { verdict: worstVerdict(verdicts), ranges, ...(snat === undefined ? {} : { snat }) };
  }

  private report: CapacityReport | undefined;

  /** Worked out once: a design is immutable, and cached designs are read by every list and view. */
  capacity(): CapacityReport {
    this.report ??= this.workOutCapacity();
    return this.report;
  }

  /**
   * The cluster's node subnet: network.nodeSubnet where a pool uses it, else the first pool's
   * (every pool on a subnet of its own). Pools list their own subnets first when the first pool
   * has one, so the first node-subnet range is not always the cluster's.
   */
  private clusterSubnet(ranges: readonly RangeCapacity[]): RangeCapacity | undefined {
    const subnets = ranges.filter((r) => r.kind === 'node-subnet');
    const cluster = this.plan.spec.network.nodeSubnet;
    return subnets.find((r) => r.cidr.toString() === cluster) ?? subnets[0];
  }

  private workOutCapacity(): CapacityReport {
    const { verdict, ranges, snat } = this.headroom();
    return {
      verdict,
      ranges,
      ...(snat === undefined ? {} : { snat }),
      maxReach: maxReach(this.plan.spec, ranges),
      publicIps: publicIpCount(this.plan.spec),
      recommendation: {
        nodeSubnetPrefixLength: this.clusterSubnet(ranges)?.recommendedPrefixLength ?? null,
        podCidrPrefixLength: recommended(ranges, 'pod-cidr'),
        ...ipv6PodCidrRecommendation(ranges),
        ...(this.plan.platformSubnets.length === 0 ? {} : { vnetPrefixLength: this.vnet().vnetPrefixLength }),
      },
    };
  }
}

/** A dual-stack design's recommendation for its IPv6 pod CIDR; nothing for one without. */
function ipv6PodCidrRecommendation(ranges: readonly RangeCapacity[]): {
  ipv6PodCidrPrefixLength?: number | null;
} {
  const ipv6 = ranges.find((r) => r.kind === 'pod-cidr' && r.cidr.family === 6);
  return ipv6 === undefined ? {} : { ipv6PodCidrPrefixLength: ipv6.recommendedPrefixLength ?? null };
}

/** The recommendation for the first range of a kind: the cluster's IPv4 pod CIDR. */
function recommended(ranges: readonly RangeCapacity[], kind: RangeCapacity['kind']): number | null {
  return ranges.find((r) => r.kind === kind)?.recommendedPrefixLength ?? null;
}
