import { AKS } from '../aks-limits.js';
import { Cidr } from '../ip/index.js';

/** The parts of a design, given or completed, that can name a VNet of the client's own. */
export interface VnetNaming {
  readonly network: {
    readonly vnetAddressSpace?: unknown;
    readonly nodeSubnet?: string;
    readonly podSubnet?: string;
  };
  readonly nodePools: readonly { readonly nodeSubnet?: string; readonly podSubnet?: string }[];
  readonly platformSubnets?: readonly unknown[];
}

/** The first field that places the cluster in a VNet of the client's own, if any. */
export function ownVnetField(spec: VnetNaming, subnetDefaulted: boolean): string | undefined {
  const { network } = spec;
  if (network.vnetAddressSpace !== undefined) return 'network.vnetAddressSpace';
  if (!subnetDefaulted && network.nodeSubnet !== undefined) return 'network.nodeSubnet';
  if (network.podSubnet !== undefined) return 'network.podSubnet';
  const pool = spec.nodePools.findIndex((p) => p.nodeSubnet !== undefined || p.podSubnet !== undefined);
  if (pool >= 0) return `nodePools[${pool}]'s subnet`;
  if ((spec.platformSubnets?.length ?? 0) > 0) return 'platformSubnets';
  return undefined;
}

/** Egress that exists only in a VNet of one's own: one's route table, one's NAT gateway. */
const OWN_VNET_EGRESS: ReadonlySet<string> = new Set(['userDefinedRouting', 'userAssignedNATGateway']);

/**
 * Whether a design's nodes are in the VNet AKS creates for the cluster: its node subnet is
 * AKS's default and nothing names a VNet of the client's own. Every such cluster gets a VNet of
 * its own, so its subnet is shared with no other cluster, whatever the addresses.
 */
export function inAksCreatedVnet(
  spec: VnetNaming & { readonly outbound?: { readonly type?: string } },
): boolean {
  return (
    spec.network.nodeSubnet === AKS.defaultNodeSubnet &&
    ownVnetField(spec, true) === undefined &&
    !OWN_VNET_EGRESS.has(spec.outbound?.type ?? '')
  );
}

/** The address space of the VNet AKS creates, for a design in it: the pod CIDR stays outside it too. */
const AKS_VNET = Cidr.parse(AKS.defaultVnet);
export const aksVnetOf = (spec: Parameters<typeof inAksCreatedVnet>[0]): Cidr | undefined =>
  inAksCreatedVnet(spec) ? AKS_VNET : undefined;

/**
 * A design whose node subnet is the client's own (taken from a space, named by a subnet id) with
 * its VNet named, when that subnet is AKS's default, 10.224.0.0/16, in a design naming nothing
 * else of a VNet: it would read as the VNet AKS creates (shared with no one, a managed VNet in the
 * exports). The VNet is named as the subnet itself, the least it holds; undefined when the design
 * reads as its own already.
 */
export function withOwnDefaultSubnetNamed<
  T extends VnetNaming & { readonly outbound?: { readonly type?: string } },
>(design: T): T | undefined {
  const { nodeSubnet } = design.network;
  if (nodeSubnet === undefined || !inAksCreatedVnet(design)) return undefined;
  return { ...design, network: { ...design.network, vnetAddressSpace: [nodeSubnet] } };
}
