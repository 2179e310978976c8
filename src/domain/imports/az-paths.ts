import type { PlanInput } from '../design/spec.js';
import { DomainError } from '../errors.js';

/** Where each field of a pool comes from in its agent pool profile. */
const POOL_FIELDS: Readonly<Record<string, string>> = {
  name: 'name',
  nodeCount: 'count',
  minCount: 'minCount',
  maxCount: 'maxCount',
  maxPods: 'maxPods',
  mode: 'mode',
  osType: 'osType',
  maxSurge: 'upgradeSettings.maxSurge',
  nodeSubnet: 'vnetSubnetId',
  podSubnet: 'podSubnetId',
  gatewayPrefixSize: 'gatewayProfile.publicIpPrefixSize',
  nodePublicIp: 'enableNodePublicIp',
};

/** Where each network field comes from in the cluster's network profile. */
const NETWORK_FIELDS: Readonly<Record<string, string>> = {
  plugin: 'networkPlugin',
  dataplane: 'networkDataplane',
  podCidr: 'podCidr',
  podCidrs: 'podCidrs',
  serviceCidr: 'serviceCidr',
  serviceCidrs: 'serviceCidrs',
  dnsServiceIp: 'dnsServiceIp',
  ipFamilies: 'ipFamilies',
};

/**
 * The path in the az JSON that was sent of a path in the plan built from it: a refusal of the
 * plan names what the caller can find and fix (`cluster.agentPoolProfiles[0].maxPods`, not
 * `nodePools[0].maxPods`). `design` is the plan built; a path it cannot place stays as it is.
 */
export function azPathOf(path: string, design: PlanInput, nameGiven: boolean): string {
  if (path === 'name') return nameGiven ? 'name' : 'cluster.name';
  const pool = /^nodePools\[(\d+)\](?:\.([A-Za-z]+))?(.*)$/.exec(path);
  if (pool !== null) {
    const [, index, key, rest] = pool;
    const profile = `cluster.agentPoolProfiles[${index}]`;
    return key === undefined ? profile : `${profile}.${POOL_FIELDS[key] ?? key}${rest}`;
  }
  const network = /^network\.([A-Za-z]+)(.*)$/.exec(path);
  if (network !== null) {
    const [, key = '', rest] = network;
    if (key === 'vnetAddressSpace') return `vnet.addressSpace.addressPrefixes${rest}`;
    if (key === 'nodeSubnet' || key === 'podSubnet') return poolSubnetPath(design, key);
    if (key === 'privateCluster') return 'cluster.apiServerAccessProfile.enablePrivateCluster';
    const az = NETWORK_FIELDS[key];
    if (az !== undefined) return `cluster.networkProfile.${az}${rest}`;
  }
  if (path === 'nodePools') return 'cluster.agentPoolProfiles';
  if (path.startsWith('outbound')) return outboundPath(path, design);
  if (path.startsWith('platformSubnets')) return 'cluster.apiServerAccessProfile.subnetId';
  return path;
}

/** Where each outbound field comes from, by outbound type; the rest is the type itself. */
const OUTBOUND_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  loadBalancer: {
    managedOutboundIps: 'loadBalancerProfile.managedOutboundIPs.count',
    allocatedOutboundPorts: 'loadBalancerProfile.allocatedOutboundPorts',
    idleTimeoutMinutes: 'loadBalancerProfile.idleTimeoutInMinutes',
  },
  managedNATGateway: {
    managedOutboundIps: 'natGatewayProfile.managedOutboundIPProfile.count',
    idleTimeoutMinutes: 'natGatewayProfile.idleTimeoutInMinutes',
  },
};

function outboundPath(path: string, design: PlanInput): string {
  const key = path.slice('outbound.'.length);
  const az = OUTBOUND_FIELDS[design.outbound?.type ?? '']?.[key];
  return `cluster.networkProfile.${az ?? 'outboundType'}`;
}

/** The cluster's node or pod subnet is its System pool's (the first pool's without one). */
function poolSubnetPath(design: PlanInput, key: 'nodeSubnet' | 'podSubnet'): string {
  const system = Math.max(
    design.nodePools.findIndex((p) => p.mode === 'System'),
    0,
  );
  return `cluster.agentPoolProfiles[${system}].${POOL_FIELDS[key]}`;
}

/** `error` with each problem's path moved into the az JSON (see azPathOf). */
export function inAzTerms(error: unknown, design: PlanInput, nameGiven: boolean): unknown {
  if (!(error instanceof DomainError) || error.problems.length === 0) return error;
  const problems = error.problems.map((p) => ({ ...p, path: azPathOf(p.path, design, nameGiven) }));
  return new DomainError(error.code, error.message, problems);
}
