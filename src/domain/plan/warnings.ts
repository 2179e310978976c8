import { AKS } from '../aks-limits.js';
import { counted } from '../capacity/numbers.js';
import type { RangeCapacity } from '../capacity/range-capacity.js';
import { aksVnetOf } from '../design/aks-vnet.js';
import { windowsPoolNames } from '../design/pool-size.js';
import type { PlanSpec } from '../design/spec.js';
import type { Warning } from '../design/warning.js';
import { outboundWarnings } from '../egress/outbound-warnings.js';
import { publicIpWarnings } from '../egress/public-ips.js';
import { Cidr } from '../ip/index.js';
import { platformSubnetWarnings } from '../vnet/vnet-warnings.js';
import { configuredDuringUpgrade } from './configured-addresses.js';

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
  warnings.push(...serviceVnetWarnings(spec), ...servicePrivateWarnings(spec));
  if (spec.network.dataplane === 'cilium') warnings.push(...ciliumWarnings(spec));
  warnings.push(...windowsMaxPodsWarnings(spec), ...podCidrWarnings(spec), ...dynamicPodSubnetWarnings(spec));
  warnings.push(...gatewayPoolWarnings(spec));
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
  // A design in the VNet AKS creates is in its address space, 10.224.0.0/12.
  const given = (spec.network.vnetAddressSpace ?? []).flatMap((text) => Cidr.tryParse(text) ?? []);
  const aksVnet = aksVnetOf(spec);
  const vnet = given.length === 0 && aksVnet !== undefined ? [aksVnet] : given;
  return vnet
    .filter((range) => range.overlaps(service))
    .map((range) => ({
      code: 'SERVICE_CIDR_OVERLAPS_VNET',
      message: `the service CIDR ${service} overlaps the VNet address space ${range}: AKS accepts it, but pods cannot reach hosts of the VNet (or of peered networks) inside ${service}, because the cluster routes that range to its services; a service CIDR outside the VNet avoids this`,
    }));
}

/**
 * configure-azure-cni, "Kubernetes service address range": "You can use any private address range
 * that satisfies the following requirements". AKS takes a public one, but the cluster routes it to
 * its services: pods reach no internet host inside it. IPv4 only, as for pod CIDRs.
 */
function servicePrivateWarnings(spec: PlanSpec): Warning[] {
  const { serviceCidr, serviceCidrs } = spec.network;
  const texts = new Set([serviceCidr, ...(serviceCidrs ?? [])]);
  return [...texts]
    .flatMap((text) => Cidr.tryParse(text) ?? [])
    .filter((cidr) => cidr.family === 4 && !isPrivateIpv4(cidr))
    .map((cidr) => ({
      code: 'SERVICE_CIDR_NOT_PRIVATE',
      message: `the service CIDR ${cidr} is not a private range (RFC 1918 or RFC 6598): AKS accepts it, but the cluster routes it to its services, so pods cannot reach internet hosts inside ${cidr}`,
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
  const windows = windowsPoolNames(spec);
  if (windows.length > 0) {
    warnings.push({
      code: 'CILIUM_WINDOWS_POOLS',
      message: `the Cilium dataplane does not support Windows node pools: ${windows.join(', ')}`,
    });
  }
  return warnings;
}

/** quotas-skus-regions: "Maximum recommended for Windows Server containers: 110" pods per node. */
const WINDOWS_MAX_RECOMMENDED_PODS = 110;

/** configure-static-egress-gateway: "at least 2 nodes are required for high availability". */
function gatewayPoolWarnings(spec: PlanSpec): Warning[] {
  const alone = spec.nodePools.filter((pool) => pool.mode === 'Gateway' && pool.nodeCount < 2);
  if (alone.length === 0) return [];
  const pools = alone.map((pool) => `${pool.name} has ${counted(pool.nodeCount, 'node')}`).join(', ');
  return [
    {
      code: 'GATEWAY_POOL_SINGLE_NODE',
      message: `a static egress gateway pool needs at least 2 nodes for high availability, and it has no autoscaler: ${pools}`,
    },
  ];
}

/**
 * maxPods is checked against the Linux range (10-250), and the overlay and pod subnet plugins
 * default to 250: a Windows pool gets more than Microsoft recommends unless its maxPods says
 * otherwise. maxPods cannot change on an existing pool, so this is the time to choose.
 */
function windowsMaxPodsWarnings(spec: PlanSpec): Warning[] {
  const above = spec.nodePools.filter(
    (pool) => pool.osType === 'Windows' && pool.maxPods > WINDOWS_MAX_RECOMMENDED_PODS,
  );
  if (above.length === 0) return [];
  const pools = above.map((pool) => `${pool.name} (maxPods ${pool.maxPods})`).join(', ');
  return [
    {
      code: 'WINDOWS_MAX_PODS',
      message: `Microsoft recommends at most ${WINDOWS_MAX_RECOMMENDED_PODS} pods per node for Windows Server containers, and maxPods cannot change on an existing pool: ${pools}`,
    },
  ];
}

/** RFC 1918 and RFC 6598 (shared address space): "RFC 1918 or RFC 6598 (100.64.0.0/10) space is supported". */
const PRIVATE_IPV4_SPACE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((text) =>
  Cidr.parse(text),
);
const isPrivateIpv4 = (cidr: Cidr) => PRIVATE_IPV4_SPACE.some((space) => space.covers(cidr));

/**
 * concepts-network-azure-cni-overlay: "we don't block the use of public IP ranges, they're
 * considered out of Microsoft's support scope". Only IPv4 pod CIDRs: the supported spaces the
 * documentation names are IPv4 ones (a dual-stack cluster's IPv6 pod CIDR is a ULA by default).
 */
function podCidrWarnings(spec: PlanSpec): Warning[] {
  const { plugin, podCidr, podCidrs } = spec.network;
  if (plugin !== 'azure-cni-overlay' && plugin !== 'kubenet') return [];
  const texts = new Set([...(podCidr === undefined ? [] : [podCidr]), ...(podCidrs ?? [])]);
  const ipv4 = [...texts].flatMap((text) => Cidr.tryParse(text) ?? []).filter((cidr) => cidr.family === 4);
  return ipv4
    .filter((cidr) => !isPrivateIpv4(cidr))
    .map((cidr) => ({
      code: 'POD_CIDR_NOT_PRIVATE',
      message: `the pod CIDR ${cidr} is not inside RFC 1918 (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) or RFC 6598 (100.64.0.0/10) space: AKS does not block public ranges, but they are outside Microsoft's support scope`,
    }));
}

/** configure-azure-cni-dynamic-ip-allocation: "Dynamic IP allocation supports pod subnets up to /16". */
const DYNAMIC_MIN_POD_SUBNET_PREFIX = 16;

/**
 * A dynamic pod subnet larger than /16, named with the pools that use it (a pool's own subnet,
 * else the cluster's): static block allocation takes pod subnets up to /12.
 */
function dynamicPodSubnetWarnings(spec: PlanSpec): Warning[] {
  const { plugin, podIpAllocation, podSubnet } = spec.network;
  if (plugin !== 'azure-cni-pod-subnet' || podIpAllocation === 'static-block') return [];
  const pools = new Map<string, string[]>();
  for (const pool of spec.nodePools) {
    const text = pool.podSubnet ?? podSubnet;
    if (text !== undefined) pools.set(text, [...(pools.get(text) ?? []), pool.name]);
  }
  return [...pools].flatMap(([text, names]) => {
    const cidr = Cidr.tryParse(text);
    if (cidr === undefined || cidr.prefixLength >= DYNAMIC_MIN_POD_SUBNET_PREFIX) return [];
    return [
      {
        code: 'DYNAMIC_POD_SUBNET_TOO_LARGE',
        message: `the pod subnet ${cidr} of ${names.join(', ')} is larger than /${DYNAMIC_MIN_POD_SUBNET_PREFIX}, the largest pod subnet dynamic IP allocation supports: use static block allocation (podIpAllocation "static-block"), which supports pod subnets up to /${AKS.minStaticPodSubnetPrefixLength}, or pod subnets of /${DYNAMIC_MIN_POD_SUBNET_PREFIX} or smaller`,
      },
    ];
  });
}

/** Past the VNet's 65,536 configured addresses (configured-addresses.ts says what counts). */
export function configuredAddressWarnings(spec: PlanSpec, ranges: readonly RangeCapacity[]): Warning[] {
  const configured = configuredDuringUpgrade(spec, ranges);
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
