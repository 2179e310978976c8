import { AKS } from '../aks-limits.js';
import { ownVnetField } from '../design/aks-vnet.js';
import { windowsPoolNames } from '../design/pool-size.js';
import type { PlacedPlatformSubnet } from '../design/resolved-plan.js';
import type { NodePoolSpec, PlanSpec } from '../design/spec.js';
import type { DomainErrorCode } from '../error-codes.js';
import type { Problem } from '../errors.js';
import { Cidr } from '../ip/index.js';
import { pluginModel } from '../plugins/registry.js';

/**
 * The one plugin change AKS makes to a running cluster: an update of an Azure CNI node-subnet or
 * a kubenet cluster to Azure CNI Overlay, forward only (upgrade-aks-ipam-and-dataplane.md: "a
 * single, forward-only IPAM migration path"; not from a pod subnet, never back).
 */
const PLUGIN_MIGRATIONS: Readonly<Record<string, readonly string[]>> = {
  'azure-cni-node-subnet': ['azure-cni-overlay'],
  kubenet: ['azure-cni-overlay'],
};

/**
 * What AKS cannot do to a running cluster: each refused change is a problem with its own
 * code. Adding and removing pools, scaling counts, growing an overlay pod CIDR into a
 * superset, moving a node-subnet or kubenet cluster to overlay and turning Cilium on (but beside
 * Windows pools) are allowed.
 */
export function refusedChanges(before: PlanSpec, after: PlanSpec): Problem[] {
  const problems: Problem[] = [];
  const refuse = (code: DomainErrorCode, path: string, message: string) =>
    problems.push({ code, path, message });
  const b = before.network;
  const a = after.network;
  if (a.plugin !== b.plugin && !(PLUGIN_MIGRATIONS[b.plugin] ?? []).includes(a.plugin))
    refuse(
      'PLUGIN_CHANGE_REFUSED',
      'network.plugin',
      `the network plugin of a cluster cannot change from ${b.plugin} to ${a.plugin}: AKS updates only azure-cni-node-subnet and kubenet clusters, to azure-cni-overlay, and never back`,
    );
  if (a.podIpAllocation !== b.podIpAllocation) {
    refuse(
      'POD_IP_ALLOCATION_CHANGE_REFUSED',
      'network.podIpAllocation',
      `pod IP allocation cannot change from ${b.podIpAllocation} to ${a.podIpAllocation}`,
    );
  }
  checkDataplane(before, after, refuse);
  if (
    (a.privateCluster ?? false) !== (b.privateCluster ?? false) &&
    !(hasApiServerSubnet(before) && hasApiServerSubnet(after))
  ) {
    refuse(
      'PRIVATE_CLUSTER_CHANGE_REFUSED',
      'network.privateCluster',
      'private cluster mode can be switched only on a cluster with API Server VNet Integration (an api-server platform subnet, before and after)',
    );
  }
  const familiesChange =
    JSON.stringify(a.ipFamilies ?? ['ipv4']) !== JSON.stringify(b.ipFamilies ?? ['ipv4']);
  if (familiesChange) {
    refuse('IP_FAMILIES_CHANGE_REFUSED', 'network.ipFamilies', 'the IP families of a cluster cannot change');
  }
  // Across a change of families only the IPv4 service CIDR compares: the IPv6 one comes and goes
  // with the families, which are refused already.
  const services = (n: PlanSpec['network']) =>
    JSON.stringify(
      familiesChange ? [n.serviceCidrs?.[0] ?? n.serviceCidr] : (n.serviceCidrs ?? [n.serviceCidr]),
    );
  if (services(a) !== services(b))
    refuse(
      'SERVICE_CIDR_CHANGE_REFUSED',
      'network.serviceCidr',
      'the service CIDR of a cluster cannot change',
    );
  if (a.dnsServiceIp !== b.dnsServiceIp)
    refuse(
      'DNS_SERVICE_IP_CHANGE_REFUSED',
      'network.dnsServiceIp',
      'the DNS service IP of a cluster cannot change',
    );
  checkPodCidrs(before, after, refuse);
  after.nodePools.forEach((pool, i) => {
    const old = before.nodePools.find((p) => p.name === pool.name);
    if (old !== undefined) checkPool(before, after, old, pool, `nodePools[${i}]`, refuse);
  });
  return problems;
}

type Refuse = (code: DomainErrorCode, path: string, message: string) => void;

/**
 * Cilium stays once enabled, and an update turns it on in any Azure CNI mode, node subnet
 * included (upgrade-aks-ipam-and-dataplane, current: "the Cilium data plane is supported on any
 * Azure CNI IPAM mode"; the 2024 page, which excluded node subnet, predates AKS's April 2025
 * release of that path), but not beside Windows pools. The Windows pools the replacement keeps:
 * one that removes them is judged on what it leaves (AKS reaches that by deleting the pools
 * first, then making the change).
 */
function checkDataplane(before: PlanSpec, after: PlanSpec, refuse: Refuse): void {
  const refused = (message: string) => refuse('DATAPLANE_CHANGE_REFUSED', 'network.dataplane', message);
  const was = before.network.dataplane === 'cilium';
  const is = after.network.dataplane === 'cilium';
  if (was && !is) refused('the Cilium dataplane cannot be turned off once enabled');
  if (was || !is) return;
  const windows = windowsPoolNames(after);
  if (windows.length > 0)
    refused(
      `the Cilium dataplane can be turned on only in a cluster without Windows pools (${windows.join(', ')})`,
    );
}

/**
 * A cluster stays in the VNet it was created in: one in AKS's own VNet (nothing in its design
 * names a VNet of the client's) cannot move into a VNet of the client's, nor the other way
 * round. The node subnet may read the same on both sides (10.224.0.0/16): whether the design
 * names a VNet of its own tells them apart, as the exports tell them.
 */
export function vnetMoveRefused(
  before: { spec: PlanSpec; defaultsApplied: readonly string[] },
  after: { spec: PlanSpec; defaultsApplied: readonly string[] },
): Problem[] {
  const inAks = (d: { spec: PlanSpec; defaultsApplied: readonly string[] }) =>
    ownVnetField(d.spec, d.defaultsApplied.includes('network.nodeSubnet')) === undefined;
  if (inAks(before) === inAks(after)) return [];
  const message = inAks(before)
    ? 'the cluster is in the VNet AKS created for it: AKS cannot move it into a VNet of your own'
    : `the cluster is in a VNet of your own: AKS cannot move it into the VNet AKS creates (${AKS.defaultNodeSubnet} alone reads as that VNet's subnet: give network.vnetAddressSpace to keep it in yours)`;
  return [{ code: 'NODE_SUBNET_CHANGE_REFUSED', path: 'network.nodeSubnet', message }];
}

/** private-clusters.md: existing clusters with API Server VNet Integration can switch private mode. */
const hasApiServerSubnet = (spec: PlanSpec) =>
  (spec.platformSubnets ?? []).some((s) => s.role === 'api-server');

/**
 * api-server-vnet-integration.md: "Once enabled, the feature is permanent. You can't disable API
 * Server VNet Integration." A cluster with an api-server subnet keeps it; adding one is the
 * documented conversion. Nor can the subnet move: the API server's internal load balancer is in
 * it, and AKS takes the subnet when the integration is turned on, as a pool keeps its subnet.
 * Judged on the laid-out subnets: one given by its size alone is placed again on every
 * replacement, and another subnet added may push it elsewhere.
 */
export function apiServerSubnetRefused(
  before: readonly PlacedPlatformSubnet[],
  after: readonly PlacedPlatformSubnet[],
): Problem[] {
  const code = 'API_SERVER_SUBNET_CHANGE_REFUSED';
  const olds = before.filter((s) => s.role === 'api-server');
  const nows = after.flatMap((s, index) => (s.role === 'api-server' ? [{ s, index }] : []));
  const [old] = olds;
  if (old === undefined) return [];
  // With or without a CIDR (no VNet to place it in), the integration is on: it stays.
  if (nows.length === 0) {
    const kept = old.cidr === null ? old.name : `${old.name} (${old.cidr})`;
    const message = `API Server VNet Integration cannot be turned off once enabled: keep its subnet ${kept}`;
    return [{ code, path: 'platformSubnets', message }];
  }
  return olds.flatMap((was) => {
    const { cidr } = was;
    // Found where it was, under any name or position; else the one of its name, else the first.
    if (cidr === null || nows.some(({ s }) => s.cidr?.equals(cidr) === true)) return [];
    const named = nows.find(({ s }) => sameSubnetName(s.name, was.name)) ?? nows[0];
    if (named === undefined) return [];
    const where = named.s.cidr === null ? 'elsewhere' : `to ${named.s.cidr}`;
    const message = `the API server's subnet cannot move from ${cidr} ${where} once API Server VNet Integration is on: give it as cidr ${cidr}`;
    return [{ code, path: `platformSubnets[${named.index}]`, message }];
  });
}

/** Azure compares subnet names without case. */
const sameSubnetName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function checkPool(
  before: PlanSpec,
  after: PlanSpec,
  old: NodePoolSpec,
  pool: NodePoolSpec,
  at: string,
  refuse: Refuse,
): void {
  if (pool.maxPods !== old.maxPods) {
    refuse(
      'MAX_PODS_CHANGE_REFUSED',
      `${at}.maxPods`,
      `maxPods of the existing pool "${pool.name}" cannot change from ${old.maxPods} to ${pool.maxPods}`,
    );
  }
  if (pool.osType !== old.osType)
    refuse(
      'OS_TYPE_CHANGE_REFUSED',
      `${at}.osType`,
      `the OS of the existing pool "${pool.name}" cannot change`,
    );
  // use-node-public-ips: a pool gets them when it is created (az aks create or nodepool add).
  if ((pool.nodePublicIp ?? false) !== (old.nodePublicIp ?? false))
    refuse(
      'NODE_PUBLIC_IP_CHANGE_REFUSED',
      `${at}.nodePublicIp`,
      `the existing pool "${pool.name}" ${old.nodePublicIp ? 'has' : 'has no'} public IPs on its nodes: a pool gets them when it is created; add a new pool instead`,
    );
  checkGatewayChange(old, pool, at, refuse);
  const nodeSubnet = (spec: PlanSpec, p: NodePoolSpec) => p.nodeSubnet ?? spec.network.nodeSubnet;
  checkSubnetMove(
    nodeSubnet(before, old),
    nodeSubnet(after, pool),
    `${at}.nodeSubnet`,
    'NODE_SUBNET_CHANGE_REFUSED',
    pool.name,
    refuse,
  );
  const podSubnet = (spec: PlanSpec, p: NodePoolSpec) => p.podSubnet ?? spec.network.podSubnet;
  checkSubnetMove(
    podSubnet(before, old),
    podSubnet(after, pool),
    `${at}.podSubnet`,
    'POD_SUBNET_CHANGE_REFUSED',
    pool.name,
    refuse,
  );
}

/**
 * A gateway pool is made one when it is added (az aks nodepool add --mode gateway
 * --gateway-prefix-size; the API sets gatewayProfile only for mode Gateway, and az aks nodepool
 * update takes no prefix size): a pool cannot become one or stop being one, nor change its prefix.
 * System and User pools switch freely.
 */
function checkGatewayChange(old: NodePoolSpec, pool: NodePoolSpec, at: string, refuse: Refuse): void {
  const wasGateway = old.mode === 'Gateway';
  if (wasGateway !== (pool.mode === 'Gateway'))
    refuse(
      'GATEWAY_POOL_CHANGE_REFUSED',
      `${at}.mode`,
      `the existing pool "${pool.name}" cannot change from mode ${old.mode} to ${pool.mode}: a static egress gateway pool is one from its creation; add a new pool instead`,
    );
  else if (wasGateway && pool.gatewayPrefixSize !== old.gatewayPrefixSize)
    refuse(
      'GATEWAY_POOL_CHANGE_REFUSED',
      `${at}.gatewayPrefixSize`,
      `the public IP prefix of the gateway pool "${pool.name}" cannot change from /${old.gatewayPrefixSize} to /${pool.gatewayPrefixSize}`,
    );
}

/** A subnet's CIDR cannot change once a node pool uses it (aks-networking.md section 1): not even to grow. */
function checkSubnetMove(
  before: string | undefined,
  after: string | undefined,
  path: string,
  code: 'NODE_SUBNET_CHANGE_REFUSED' | 'POD_SUBNET_CHANGE_REFUSED',
  pool: string,
  refuse: Refuse,
): void {
  if (before === undefined || after === undefined || before === after) return;
  refuse(
    code,
    path,
    `pool "${pool}" uses ${before}: a subnet's CIDR cannot change once a node pool uses it, so not to ${after}; add a pool on a new subnet instead`,
  );
}

/**
 * An overlay pod CIDR can only grow into a superset; a kubenet pod CIDR cannot change. AKS grows
 * it neither with Windows pools nor in a dual-stack cluster (azure-cni-overlay-pod-expand: "Windows
 * nodes ... aren't supported", "IPv6 pod CIDR expansion isn't supported", and changing several
 * pod CIDR blocks through --pod-cidrs isn't either).
 */
function checkPodCidrs(before: PlanSpec, after: PlanSpec, refuse: Refuse): void {
  const olds =
    before.network.podCidrs ?? (before.network.podCidr === undefined ? [] : [before.network.podCidr]);
  const news = after.network.podCidrs ?? (after.network.podCidr === undefined ? [] : [after.network.podCidr]);
  if (after.network.plugin !== before.network.plugin) return;
  const dualStack = before.network.podCidrs !== undefined;
  const windows = windowsPoolNames(after);
  olds.forEach((old, i) => {
    const next = news[i];
    if (next === undefined || next === old) return;
    const path = dualStack ? `network.podCidrs[${i}]` : 'network.podCidr';
    const superset = pluginModel(after.network.plugin).podCidrChange === 'superset';
    const grows = superset && Cidr.parse(next).covers(Cidr.parse(old));
    const why = !superset
      ? `cannot change (${after.network.plugin})`
      : !grows
        ? 'can only be expanded to a superset that contains it (overlay)'
        : dualStack
          ? 'cannot be expanded in a dual-stack cluster'
          : windows.length > 0
            ? `cannot be expanded in a cluster with Windows pools (${windows.join(', ')})`
            : undefined;
    if (why !== undefined)
      refuse('POD_CIDR_CHANGE_REFUSED', path, `the pod CIDR ${old} ${why}, so not to ${next}`);
  });
}
