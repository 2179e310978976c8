import { AKS } from '../aks-limits.js';
import type { RangeCapacity } from '../capacity/range-capacity.js';
import type { PlanSpec } from '../design/spec.js';
import type { Warning } from '../design/warning.js';
import { outboundWarnings } from '../egress/outbound-warnings.js';
import { publicIpWarnings } from '../egress/public-ips.js';
import { Cidr } from '../ip/index.js';
import { BLOCK_SIZE } from '../plugins/azure-cni-pod-subnet/static-block-layout.js';
import { platformSubnetWarnings } from '../vnet/vnet-warnings.js';

/** Warnings every plugin shares: choices AKS accepts but that deserve a second look. */
export function commonWarnings(spec: PlanSpec): Warning[] {
  const warnings: Warning[] = [];
  if (spec.network.dockerBridgeCidr !== undefined) {
    warnings.push({
      code: 'DOCKER_BRIDGE_CIDR_IGNORED',
      message:
        'network.dockerBridgeCidr is kept but ignored: AKS no longer uses a Docker bridge since API 2023-04-01',
    });
  }
  if (spec.network.serviceCidr.endsWith(`/${AKS.minServiceCidrPrefixLength}`)) {
    warnings.push({
      code: 'SERVICE_CIDR_AT_LIMIT',
      message: `a /${AKS.minServiceCidrPrefixLength} service CIDR is the largest AKS accepts; the documentation asks for smaller than /${AKS.minServiceCidrPrefixLength}`,
    });
  }
  warnings.push(...serviceVnetWarnings(spec));
  if (spec.network.dataplane === 'cilium') warnings.push(...ciliumWarnings(spec));
  warnings.push(...outboundWarnings(spec), ...publicIpWarnings(spec), ...platformSubnetWarnings(spec));
  return warnings;
}

/**
 * AKS accepts a service CIDR inside the VNet address space as long as it overlaps no subnet of
 * the cluster (portal clusters with VNet 10.0.0.0/8 and the default 10.0.0.0/16 exist), but
 * the cluster then routes that range to its services.
 */
function serviceVnetWarnings(spec: PlanSpec): Warning[] {
  const service = Cidr.tryParse(spec.network.serviceCidr);
  if (service === undefined) return [];
  const vnet = (spec.network.vnetAddressSpace ?? []).flatMap((text) => Cidr.tryParse(text) ?? []);
  return vnet
    .filter((range) => range.overlaps(service))
    .map((range) => ({
      code: 'SERVICE_CIDR_OVERLAPS_VNET',
      message: `the service CIDR ${service} overlaps the VNet address space ${range}: AKS accepts it, but pods cannot reach hosts of the VNet (or of peered networks) inside ${service}, because the cluster routes that range to its services; a service CIDR outside the VNet avoids this`,
    }));
}

/** Azure CNI Powered by Cilium keeps the address maths of the IPAM mode under it. */
function ciliumWarnings(spec: PlanSpec): Warning[] {
  const warnings: Warning[] = [
    {
      code: 'CILIUM_LIMITATIONS',
      message:
        'the Cilium dataplane runs on Linux nodes only, cannot be turned off once enabled, and replaces kube-proxy and Azure Network Policy Manager; the address layout is that of the plugin under it',
    },
  ];
  const windows = spec.nodePools.filter((pool) => pool.osType === 'Windows').map((pool) => pool.name);
  if (windows.length > 0) {
    warnings.push({
      code: 'CILIUM_WINDOWS_POOLS',
      message: `the Cilium dataplane does not support Windows node pools: ${windows.join(', ')}`,
    });
  }
  return warnings;
}

/**
 * A virtual network holds at most 65,536 configured IP addresses (concepts-network-ip-address-
 * planning): each node IP, load balancer frontend and private endpoint, and each pod IP Azure CNI
 * pre-allocates in a node subnet or hands out from a dynamic pod subnet. A static /28 block counts
 * once, as one prefix ("the block, rather than a single IP, counts against the VNet private IP
 * limit of 65K": the AKS API's PodIPAllocationMode); overlay and kubenet pods are not in the VNet.
 */
export function configuredAddressWarnings(spec: PlanSpec, ranges: readonly RangeCapacity[]): Warning[] {
  const staticBlocks = spec.network.podIpAllocation === 'static-block';
  const counted = ranges.map((r) => {
    if (r.kind === 'node-subnet') return r.required.duringUpgrade;
    if (r.kind !== 'pod-subnet') return 0n;
    return staticBlocks ? r.required.duringUpgrade / BigInt(BLOCK_SIZE) : r.required.duringUpgrade;
  });
  const configured = counted.reduce((sum, n) => sum + n, 0n);
  const limit = AKS.maxConfiguredVnetAddresses;
  if (configured <= BigInt(limit)) return [];
  const count = (n: bigint | number) => n.toLocaleString('en-US');
  return [
    {
      code: 'VNET_CONFIGURED_IPS_ABOVE_LIMIT',
      message: `at their maxima plus surge the pools configure ${count(configured)} IP addresses in the virtual network, which holds at most ${count(limit)}: the cluster cannot reach that size in one VNet`,
    },
  ];
}
