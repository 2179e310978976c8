import { AKS } from '../aks-limits.js';
import { withOwnDefaultSubnetNamed } from '../design/aks-vnet.js';
import type {
  IpFamilyName,
  NetworkInput,
  NodePoolInput,
  PlanInput,
  PlatformSubnetInput,
  PluginName,
} from '../design/spec.js';
import { DATAPLANES, MAX_VNET_PREFIXES, OS_TYPES, POOL_MODES } from '../design/spec.js';
import { DomainError, invalidInput, type Problem } from '../errors.js';
import { shellWord } from '../shell-word.js';
import {
  asGiven,
  count,
  countOrWarn,
  field,
  type ImportWarning,
  ipFamiliesOf,
  isDualStackProfile,
  isObject,
  type Json,
  known,
  knownOrWarn,
  readOrWarn,
  text,
  textOrWarn,
  texts,
} from './az-json.js';
import { outboundOf } from './az-outbound.js';

export type { ImportWarning } from './az-json.js';

/** The longest resource id a hint repeats: a real subnet id is at most about 360 characters. */
const MAX_ID_SHOWN = 400;

/** The command that prints a subnet's JSON, its id a shell word (the id is the caller's text). */
function subnetShow(id: string): string {
  return `\`az network vnet subnet show --ids ${shellWord(id.slice(0, MAX_ID_SHOWN))} -o json\``;
}

/** What an import is given: the JSON of `az aks show`, of the subnets it names, and its VNet. */
export interface AzImport {
  readonly name?: string | undefined;
  readonly cluster: Json;
  readonly subnets?: readonly Json[] | undefined;
  readonly vnet?: Json;
}

/**
 * The design of a running cluster from the JSON `az` prints: plugin and mode, pod and service
 * CIDRs, DNS IP, outbound type and profile, every pool (count, autoscaler, maxPods, OS, mode,
 * maxSurge, node public IPs, subnets resolved through the given subnet JSON), private cluster, the VNet's address
 * space. What it cannot carry is a warning, never dropped silently; a subnet id with no JSON is
 * refused, naming it.
 */
export function planFromAz(input: AzImport): { design: PlanInput; warnings: ImportWarning[] } {
  if (!isObject(input))
    throw DomainError.invalid('AZ_CLUSTER_INVALID', '', 'expected { cluster, subnets?, vnet? }');
  const { cluster } = input;
  const profiles = field(cluster, 'agentPoolProfiles');
  if (!isObject(cluster) || !Array.isArray(profiles) || profiles.length === 0) {
    throw DomainError.invalid(
      'AZ_CLUSTER_INVALID',
      'cluster',
      'expected the JSON of `az aks show -o json`: an object with agentPoolProfiles',
    );
  }
  // Refused before any pool is read: a document of 300,000 pools is no cluster to plan.
  if (profiles.length > AKS.maxNodePools) {
    throw DomainError.invalid(
      'TOO_MANY_NODE_POOLS',
      'cluster.agentPoolProfiles',
      `${profiles.length} node pools exceed the AKS limit of ${AKS.maxNodePools} per cluster`,
    );
  }
  const warnings: ImportWarning[] = [];
  const problems: Problem[] = [];
  const given = input.subnets ?? [];
  if (!Array.isArray(given))
    throw DomainError.invalid(
      'AZ_CLUSTER_INVALID',
      'subnets',
      'expected a list of `az network vnet subnet show -o json`',
    );
  const subnets = subnetsById(given, warnings);
  const subnetOf = (id: Json, path: string): string | undefined => {
    const given = text(id);
    // Read as absent, a subnet id that is no text would plan the pool in the VNet AKS creates.
    if (given === undefined && id !== undefined)
      problems.push({
        code: 'AZ_CLUSTER_INVALID',
        path,
        message: `${path.split('.').at(-1)} must be a subnet resource id`,
      });
    if (given === undefined) return undefined;
    const cidr = subnets.get(given.toLowerCase());
    if (cidr === undefined)
      problems.push({
        code: 'AZ_SUBNET_MISSING',
        path,
        message: `no subnet JSON in subnets for ${given.slice(0, MAX_ID_SHOWN)}: add ${subnetShow(given)}`,
      });
    return cidr;
  };
  const pools = profiles.map((profile, i) =>
    poolOf(profile, `cluster.agentPoolProfiles[${i}]`, i === 0, subnetOf, warnings),
  );
  if (problems.length > 0) throw invalidInput(problems);
  const space = input.vnet === undefined ? undefined : vnetAddressSpace(input.vnet);
  if (input.vnet !== undefined && space === undefined)
    warnings.push({
      path: 'vnet.addressSpace.addressPrefixes',
      message:
        'the VNet JSON lists no address prefixes (expected `az network vnet show -o json`): the plan names no VNet address space',
    });
  const network = {
    ...networkOf(cluster, pools, warnings),
    ...(space === undefined ? {} : { vnetAddressSpace: space }),
  };
  const outbound = outboundOf(cluster, warnings);
  const apiServer = apiServerSubnet(cluster, [...given, ...listedIn(input.vnet)], warnings);
  const name = input.name ?? text(field(cluster, 'name'));
  if (name === undefined)
    throw DomainError.invalid('AZ_CLUSTER_INVALID', 'cluster.name', 'the cluster has no name: give name');
  const design: PlanInput = {
    name,
    network,
    nodePools: pools.map(({ pool }) => withoutClusterSubnets(pool, network)),
    ...(outbound === undefined ? {} : { outbound }),
    ...(apiServer === undefined ? {} : { platformSubnets: [apiServer] }),
  };
  return { design: namingItsVnet(design, warnings), warnings };
}

/** A subnet the cluster names by id is the client's own, even when it is AKS's default subnet: said. */
function namingItsVnet(design: PlanInput, warnings: ImportWarning[]): PlanInput {
  const named = withOwnDefaultSubnetNamed({ ...design, network: design.network ?? {} });
  if (named === undefined) return design;
  warnings.push({
    path: 'vnet',
    message: `the node subnet is ${AKS.defaultNodeSubnet} in a VNet of your own, and no VNet JSON gives its address space: planned as that subnet alone; add \`az network vnet show -o json\` as vnet`,
  });
  return named;
}

/** A pool names its own subnets only where they differ from the cluster's. */
function withoutClusterSubnets(pool: NodePoolInput, network: NetworkInput): NodePoolInput {
  const { nodeSubnet, podSubnet, ...rest } = pool;
  return {
    ...rest,
    ...(nodeSubnet === undefined || nodeSubnet === network.nodeSubnet ? {} : { nodeSubnet }),
    ...(podSubnet === undefined || podSubnet === network.podSubnet ? {} : { podSubnet }),
  };
}

interface ImportedPool {
  readonly pool: NodePoolInput;
  readonly staticBlock: boolean;
}

function poolOf(
  profile: Json,
  path: string,
  first: boolean,
  subnetOf: (id: Json, path: string) => string | undefined,
  warnings: ImportWarning[],
): ImportedPool {
  const name = text(field(profile, 'name'));
  if (name === undefined)
    throw DomainError.invalid('AZ_CLUSTER_INVALID', `${path}.name`, 'a pool has no name');
  const autoscale = field(profile, 'enableAutoScaling') === true;
  const given = field(profile, 'count');
  const nodeCount = given === undefined ? 0 : count(given);
  if (nodeCount === undefined)
    throw DomainError.invalid(
      'AZ_CLUSTER_INVALID',
      `${path}.count`,
      `pool ${name}: count must be a whole number of nodes, 0 or more`,
    );
  const surge = text(field(field(profile, 'upgradeSettings'), 'maxSurge'));
  const nodeSubnet = subnetOf(field(profile, 'vnetSubnetId', 'vnetSubnetID'), `${path}.vnetSubnetId`);
  const podSubnet = subnetOf(field(profile, 'podSubnetId', 'podSubnetID'), `${path}.podSubnetId`);
  if (field(profile, 'vnetSubnetId', 'vnetSubnetID') === undefined)
    warnings.push({
      path: `${path}.vnetSubnetId`,
      message: `pool ${name} is in an AKS-managed VNet: its node subnet is the planner's default, check it`,
    });
  const mode = knownOrWarn(
    asGiven(field(profile, 'mode')),
    POOL_MODES,
    {
      path: `${path}.mode`,
      message: (m) =>
        `pool ${name} has mode ${m}, planned as ${first ? 'the first pool, a System' : 'a User'} pool`,
    },
    warnings,
  );
  const osType = knownOrWarn(
    asGiven(field(profile, 'osType')),
    OS_TYPES,
    { path: `${path}.osType`, message: (os) => `pool ${name} has osType ${os}, planned as a Linux pool` },
    warnings,
  );
  // A Gateway pool's prefix length; none given is AKS's default, the planner's default too.
  const gatewayPrefixSize = mode === 'Gateway' ? gatewayPrefixOf(profile, path, name, warnings) : undefined;
  const maxPods = countOrWarn(
    profile,
    `${path}.maxPods`,
    `pool ${name}'s maxPods planned as the plugin's default`,
    warnings,
  );
  const pool: NodePoolInput = {
    name,
    nodeCount,
    ...(mode === undefined ? {} : { mode }),
    ...(osType === undefined ? {} : { osType }),
    ...(autoscale ? minMax(profile, path, warnings) : {}),
    ...(maxPods === undefined ? {} : { maxPods }),
    ...(surge === undefined ? {} : { maxSurge: /^\d+$/.test(surge) ? Number(surge) : surge }),
    ...(nodeSubnet === undefined ? {} : { nodeSubnet }),
    ...(podSubnet === undefined ? {} : { podSubnet }),
    ...(gatewayPrefixSize === undefined ? {} : { gatewayPrefixSize }),
    ...(nodePublicIpOf(profile, path, name, warnings) ? { nodePublicIp: true } : {}),
  };
  const allocation = knownOrWarn(
    text(field(profile, 'podIpAllocationMode', 'podIPAllocationMode')),
    ['DynamicIndividual', 'StaticBlock'] as const,
    {
      path: `${path}.podIpAllocationMode`,
      message: (m) => `pool ${name} allocates pod IPs by ${m}, planned as dynamic allocation`,
    },
    warnings,
  );
  return { pool, staticBlock: allocation === 'StaticBlock' };
}

/**
 * A Gateway pool's public IP prefix length; none given is AKS's default, the planner's default
 * too. A profile or a length that cannot be read is said, and the default planned.
 */
function gatewayPrefixOf(
  profile: Json,
  path: string,
  name: string,
  warnings: ImportWarning[],
): number | undefined {
  const assumed = `pool ${name}'s public IP prefix planned as the default /31`;
  const at = `${path}.gatewayProfile`;
  const gateway = readOrWarn(
    field(profile, 'gatewayProfile'),
    (value) => (isObject(value) ? value : undefined),
    { path: at, why: `is not an object: ${assumed}` },
    warnings,
  );
  return countOrWarn(
    { publicIpPrefixSize: field(gateway, 'publicIpPrefixSize', 'publicIPPrefixSize') },
    `${at}.publicIpPrefixSize`,
    assumed,
    warnings,
  );
}

function minMax(
  profile: Json,
  path: string,
  warnings: ImportWarning[],
): Pick<NodePoolInput, 'minCount' | 'maxCount'> {
  const min = countOrWarn(profile, `${path}.minCount`, 'no autoscaler minimum planned', warnings);
  const max = countOrWarn(profile, `${path}.maxCount`, 'no autoscaler maximum planned', warnings);
  return { ...(min === undefined ? {} : { minCount: min }), ...(max === undefined ? {} : { maxCount: max }) };
}

/** The planner's plugin for the cluster's networkPlugin and networkPluginMode; undefined when it names none. */
function pluginOf(
  profile: Json,
  pools: readonly ImportedPool[],
  warnings: ImportWarning[],
): PluginName | undefined {
  const given = asGiven(field(profile, 'networkPlugin'));
  const plugin = known(given, ['azure', 'kubenet'] as const);
  if (given === undefined) {
    warnings.push({
      path: 'cluster.networkProfile.networkPlugin',
      message: "the cluster names no network plugin: planned with the planner's default (Azure CNI Overlay)",
    });
    return undefined;
  }
  if (plugin === undefined)
    throw DomainError.invalid(
      'AZ_PLUGIN_UNSUPPORTED',
      'cluster.networkProfile.networkPlugin',
      `networkPlugin ${JSON.stringify(given).slice(0, 40)}${given.toLowerCase() === 'none' ? ' (bring your own CNI)' : ''} is not a plugin the planner models`,
    );
  if (plugin === 'kubenet') return 'kubenet';
  const named = pools.some((p) => p.pool.podSubnet !== undefined)
    ? 'azure-cni-pod-subnet'
    : 'azure-cni-node-subnet';
  const mode = knownOrWarn(
    asGiven(field(profile, 'networkPluginMode')),
    ['overlay'] as const,
    {
      path: 'cluster.networkProfile.networkPluginMode',
      message: (m) => `networkPluginMode ${m} is not one the planner knows: planned as ${named}`,
    },
    warnings,
  );
  return mode === 'overlay' ? 'azure-cni-overlay' : named;
}

function networkOf(cluster: Json, pools: readonly ImportedPool[], warnings: ImportWarning[]): NetworkInput {
  const profile = field(cluster, 'networkProfile');
  const named = pluginOf(profile, pools, warnings);
  const system = pools.find((p) => p.pool.mode === 'System') ?? pools[0];
  const staticBlocks = pools.filter((p) => p.staticBlock).length;
  if (staticBlocks > 0 && staticBlocks < pools.length)
    warnings.push({
      path: 'cluster.agentPoolProfiles',
      message:
        'some pools allocate pod IPs in static blocks and others dynamically: planned as static blocks for all',
    });
  const policy = asGiven(field(profile, 'networkPolicy'));
  if (policy !== undefined && known(policy, ['none', 'cilium'] as const) === undefined)
    warnings.push({
      path: 'cluster.networkProfile.networkPolicy',
      message: `network policy ${policy} is not part of the address plan`,
    });
  const families = ipFamiliesOf(profile) as IpFamilyName[] | undefined;
  const podCidrs = texts(field(profile, 'podCidrs'));
  const serviceCidrs = texts(field(profile, 'serviceCidrs'));
  const dualStack = isDualStackProfile(profile);
  if (families !== undefined && !dualStack && families[0] !== 'ipv4')
    warnings.push({
      path: 'cluster.networkProfile.ipFamilies',
      message: `ipFamilies ${JSON.stringify(field(profile, 'ipFamilies')).slice(0, 64)}: AKS runs IPv4 and dual-stack clusters only: planned as IPv4`,
    });
  const at = 'cluster.networkProfile';
  const dns = textOrWarn(field(profile, 'dnsServiceIp', 'dnsServiceIP'), `${at}.dnsServiceIp`, warnings);
  const pod = textOrWarn(field(profile, 'podCidr'), `${at}.podCidr`, warnings);
  const service = textOrWarn(field(profile, 'serviceCidr'), `${at}.serviceCidr`, warnings);
  const dataplane = knownOrWarn(
    asGiven(field(profile, 'networkDataplane')),
    DATAPLANES,
    {
      path: 'cluster.networkProfile.networkDataplane',
      message: (d) => `networkDataplane ${d} is not one the planner knows: planned as azure`,
    },
    warnings,
  );
  const hasPodCidr = named === undefined || named === 'kubenet' || named === 'azure-cni-overlay';
  if (!dualStack && pod !== undefined && !hasPodCidr)
    warnings.push({
      path: 'cluster.networkProfile.podCidr',
      message: `pod CIDR ${pod.slice(0, 64)} is not used by ${named}: not planned`,
    });
  return {
    ...(named === undefined ? {} : { plugin: named }),
    ...(dataplane === 'cilium' ? { dataplane } : {}),
    ...(system?.pool.nodeSubnet === undefined ? {} : { nodeSubnet: system.pool.nodeSubnet }),
    ...(system?.pool.podSubnet === undefined ? {} : { podSubnet: system.pool.podSubnet }),
    ...(staticBlocks > 0 ? { podIpAllocation: 'static-block' as const } : {}),
    ...(dualStack ? { ipFamilies: families, podCidrs, serviceCidrs } : {}),
    ...(!dualStack && pod !== undefined && hasPodCidr ? { podCidr: pod } : {}),
    ...(!dualStack && service !== undefined ? { serviceCidr: service } : {}),
    ...(dns === undefined ? {} : { dnsServiceIp: dns }),
    ...(field(field(cluster, 'apiServerAccessProfile'), 'enablePrivateCluster') === true
      ? { privateCluster: true }
      : {}),
  };
}

/**
 * The subnet of API server VNet integration (delegated to AKS), as an api-server platform
 * subnet, when its JSON is given: in subnets, or in the VNet JSON's own subnet list. Without it,
 * a warning says the plan does not carry the subnet: its addresses are not free.
 */
function apiServerSubnet(
  cluster: Json,
  candidates: readonly Json[],
  warnings: ImportWarning[],
): PlatformSubnetInput | undefined {
  const profile = field(cluster, 'apiServerAccessProfile');
  if (field(profile, 'enableVnetIntegration', 'enableVNetIntegration') !== true) return undefined;
  const path = 'cluster.apiServerAccessProfile.subnetId';
  const id = text(field(profile, 'subnetId', 'subnetID'));
  if (id === undefined) {
    warnings.push({
      path,
      message:
        'the API server is integrated into a subnet AKS manages (no subnetId): the plan does not carry it',
    });
    return undefined;
  }
  const subnet = candidates.find((c) => text(field(c, 'id'))?.toLowerCase() === id.toLowerCase());
  const cidr = text(field(subnet, 'addressPrefix')) ?? texts(field(subnet, 'addressPrefixes'))?.[0];
  const name = text(field(subnet, 'name')) ?? id.split('/').at(-1) ?? id;
  if (cidr === undefined) {
    warnings.push({
      path,
      message: `the API server subnet ${name.slice(0, 80)} was not carried: its address prefix is not in this JSON; add ${subnetShow(id)} to subnets to plan it`,
    });
    return undefined;
  }
  return { role: 'api-server', name, cidr };
}

/** The subnets `az network vnet show` lists with the VNet; none when it lists none. */
const listedIn = (vnet: Json): Json[] => {
  const listed = field(vnet, 'subnets');
  return Array.isArray(listed) ? listed : [];
};

/** The CIDR of each subnet JSON, by its id in lower case (ARM ids compare case-insensitively). */
function subnetsById(subnets: readonly Json[], warnings: ImportWarning[]): Map<string, string> {
  const byId = new Map<string, string>();
  subnets.forEach((subnet, i) => {
    const id = text(field(subnet, 'id'));
    const cidr = text(field(subnet, 'addressPrefix')) ?? texts(field(subnet, 'addressPrefixes'))?.[0];
    if (id === undefined || cidr === undefined)
      throw DomainError.invalid(
        'AZ_CLUSTER_INVALID',
        `subnets[${i}]`,
        'expected the JSON of `az network vnet subnet show -o json`: an id and an addressPrefix',
      );
    const known = byId.get(id.toLowerCase());
    if (known !== undefined && known !== cidr)
      throw DomainError.invalid(
        'AZ_CLUSTER_INVALID',
        `subnets[${i}]`,
        `subnet ${(id.split('/').at(-1) ?? '').slice(0, 80)} is given twice, with ${known.slice(0, 64)} and ${cidr.slice(0, 64)} (ids compare without case)`,
      );
    byId.set(id.toLowerCase(), cidr);
    const more = texts(field(subnet, 'addressPrefixes'))?.slice(1) ?? [];
    if (more.length > 0)
      warnings.push({
        path: `subnets[${i}].addressPrefixes`,
        message: `subnet ${(id.split('/').at(-1) ?? '').slice(0, 80)} has more prefixes (${listed(more)}): the plan uses ${cidr.slice(0, 64)}`,
      });
  });
  return byId;
}

/**
 * The first few of a list (each cut to a CIDR's length), and how many more: a warning stays
 * short whatever the JSON holds.
 */
function listed(items: readonly string[], shown = 3): string {
  const more = items.length - shown;
  const first = items.slice(0, shown).map((item) => item.slice(0, 64));
  return more > 0 ? `${first.join(', ')} and ${more} more` : first.join(', ');
}

/** The VNet's address space, from `az network vnet show -o json`. */
export function vnetAddressSpace(vnet: Json): string[] | undefined {
  // A VNet whose prefixes are all missing or not text has no address space to give the design.
  const prefixes = texts(field(field(vnet, 'addressSpace'), 'addressPrefixes'));
  // Held to the limit of a design's VNet before anything is planned or stored: the rules compare
  // the prefixes pairwise, and a stored plan past it could not be answered.
  if (prefixes !== undefined && prefixes.length > MAX_VNET_PREFIXES) {
    throw DomainError.invalid(
      'AZ_CLUSTER_INVALID',
      'vnet.addressSpace.addressPrefixes',
      `${prefixes.length} address prefixes: a plan's VNet takes at most ${MAX_VNET_PREFIXES}`,
    );
  }
  return prefixes === undefined || prefixes.length === 0 ? undefined : prefixes;
}

/**
 * Whether a pool's nodes have public IPs (az writes enableNodePublicIp, ARM enableNodePublicIP):
 * each is counted. A value that is no boolean is a warning, and so is a prefix the IPs come from
 * (its size is not planned).
 */
function nodePublicIpOf(profile: Json, path: string, name: string, warnings: ImportWarning[]): boolean {
  const given = field(profile, 'enableNodePublicIp', 'enableNodePublicIP');
  if (given !== undefined && given !== null && typeof given !== 'boolean')
    warnings.push({
      path: `${path}.enableNodePublicIp`,
      message: `${JSON.stringify(given).slice(0, 40)} is not true or false: pool ${name} planned without node public IPs`,
    });
  if (given === true && typeof field(profile, 'nodePublicIpPrefixId', 'nodePublicIPPrefixID') === 'string')
    warnings.push({
      path: `${path}.nodePublicIpPrefixId`,
      message: `pool ${name}'s node public IPs come from a prefix: its size, which caps the pool, is not planned`,
    });
  return given === true;
}
