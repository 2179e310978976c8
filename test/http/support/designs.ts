/**
 * Request bodies and the answers the contract (shared/api.md) promises for them. Every
 * expectation is written out by hand from the documented arithmetic, never computed by
 * the code under test.
 */
import { expect } from 'vitest';
import { DEFAULT_NETWORK, DEFAULT_RESERVATIONS, NODE_SUBNET_PLUGIN } from '../../support/examples.js';

export const PLUGIN = NODE_SUBNET_PLUGIN;

type Fields = Record<string, unknown>;

export interface SpecOverrides {
  name: string;
  /** Network fields that differ from DEFAULT_NETWORK or are added to it. */
  network?: Fields;
  /** Fields of the one System pool that differ from its defaults. */
  pool?: Fields;
  reservations?: Fields;
}

export type ExpandedSpec = { name: string; network: Fields; nodePools: Fields[]; reservations: Fields };

/** The network the API returns: DEFAULT_NETWORK with these fields changed or added. */
export function expandedNetwork(fields: Fields = {}): Fields {
  return { ...DEFAULT_NETWORK, ...fields };
}

/**
 * The spec the API returns, every default filled in, for a one-pool design. Without overrides it
 * answers `{ name, network: { plugin: PLUGIN }, nodePools: [{ name: 'system', nodeCount: 1 }] }`:
 * DEFAULT_NETWORK, a System Linux pool at maxPods 30 with a 10% surge, and no reservations.
 */
export function expandedSpec({ name, network, pool, reservations }: SpecOverrides): ExpandedSpec {
  return {
    name,
    network: expandedNetwork(network),
    nodePools: [
      {
        name: 'system',
        mode: 'System',
        osType: 'Linux',
        nodeCount: 1,
        maxPods: 30,
        maxSurge: '10%',
        ...pool,
      },
    ],
    reservations: { ...DEFAULT_RESERVATIONS, ...reservations },
  };
}

/** The api.md example design (without its outbound section). */
export function exampleDesign(name = 'prod-weu-1') {
  return {
    name,
    network: {
      plugin: PLUGIN,
      dataplane: 'azure',
      vnetAddressSpace: ['10.240.0.0/16'],
      nodeSubnet: '10.240.0.0/24',
      serviceCidr: '10.0.0.0/16',
      dnsServiceIp: '10.0.0.10',
    },
    nodePools: [{ name: 'system', nodeCount: 3, maxCount: 5, maxPods: 30, maxSurge: 1 }],
    reservations: { internalLoadBalancers: 2, privateEndpoints: 1 },
  };
}

export function exampleSpec(name = 'prod-weu-1') {
  return expandedSpec({
    name,
    network: { vnetAddressSpace: ['10.240.0.0/16'], nodeSubnet: '10.240.0.0/24' },
    pool: { nodeCount: 3, maxCount: 5, maxSurge: 1 },
    reservations: { internalLoadBalancers: 2, privateEndpoints: 1 },
  });
}

export const EXAMPLE_DEFAULTS = ['network.privateCluster', 'nodePools[0].mode', 'nodePools[0].osType'];

/** The node-subnet entry api.md documents for the example, to the last field. */
export const EXAMPLE_NODE_SUBNET_CAPACITY = {
  kind: 'node-subnet',
  cidr: '10.240.0.0/24',
  total: 256,
  azureReserved: 5,
  usable: 251,
  required: { current: 96, atMaxCount: 158, duringUpgrade: 189 },
  free: 62,
  utilization: 0.753,
  nodeSlots: 8,
  verdict: 'ok',
  explain:
    '(5 max + 1 surge) x (1 node + 30 pods) + 2 load balancers + 1 private endpoint = 189 of 251 usable',
  recommendedPrefixLength: 24,
};

/** The default service CIDR 10.0.0.0/16 with the DNS service at 10.0.0.10. */
export const DEFAULT_SERVICE_CAPACITY = {
  kind: 'service-cidr',
  cidr: '10.0.0.0/16',
  total: 65536,
  azureReserved: 0,
  usable: 65534,
  required: { current: 2, atMaxCount: 2, duringUpgrade: 2 },
  free: 65532,
  utilization: 0,
  nodeSlots: null,
  verdict: 'ok',
  explain:
    'kubernetes API service 10.0.0.1 + DNS service 10.0.0.10 = 2 of 65,534 assignable (network and broadcast addresses excluded); the other 65,532 are for ClusterIP services',
  recommendedPrefixLength: null,
};

/** How far a single pool in a /24 at maxPods 30 grows: (251 usable - reserved) / 31 slots, less 1 surge. */
export function nodeSubnetReach(
  pool: string,
  currentMaxCount: number,
  maxCount: number,
  nodeSubnet = '10.240.0.0/24',
) {
  return { pool, currentMaxCount, maxCount, limitedBy: { kind: 'node-subnet', cidr: nodeSubnet } };
}

/**
 * The VNet of the api.md example, worked by hand: one /24 node subnet at the start of
 * 10.240.0.0/16, the rest free as the fewest aligned blocks, nothing to route.
 */
export const EXAMPLE_VNET = {
  addressSpace: [{ cidr: '10.240.0.0/16', total: 65536, inSubnets: 256, free: 65280, verdict: 'ok' }],
  verdict: 'ok',
  subnets: [
    {
      name: 'aks-nodes',
      role: 'aks-nodes',
      cidr: '10.240.0.0/24',
      prefixLength: 24,
      placed: false,
      total: 256,
      usable: 251,
      holds: 'nodes and their pods of pool system',
    },
  ],
  freeBlocks: [
    '10.240.1.0/24',
    '10.240.2.0/23',
    '10.240.4.0/22',
    '10.240.8.0/21',
    '10.240.16.0/20',
    '10.240.32.0/19',
    '10.240.64.0/18',
    '10.240.128.0/17',
  ],
  missingAddresses: 0,
  recommendation: { vnetPrefixLength: 24 },
  firewallPrivateIp: null,
  routeTables: [],
  firewallRules: [],
};

/** A design without an outbound section: AKS's default load balancer with one managed outbound IP. */
export const DEFAULT_PUBLIC_IPS = {
  outbound: 1,
  outboundIpv6: 0,
  loadBalancerServices: 0,
  ingress: 0,
  firewall: 0,
  egressGateway: 0,
  nodePublicIps: 0,
  total: 1,
};

export const EXAMPLE_CAPACITY = {
  verdict: 'ok',
  ranges: [EXAMPLE_NODE_SUBNET_CAPACITY, DEFAULT_SERVICE_CAPACITY],
  publicIps: DEFAULT_PUBLIC_IPS,
  recommendation: { nodeSubnetPrefixLength: 24, podCidrPrefixLength: null },
  // (251 - 2 load balancers - 1 private endpoint) / 31 = 8 slots = 7 max + 1 surge.
  maxReach: [nodeSubnetReach('system', 5, 7)],
};

/** A small valid design: one 2-node system pool (maxPods 30, surge 1) in a /24, defaults elsewhere. */
export function smallDesign(name: string, nodeSubnet = '10.240.0.0/24') {
  return {
    name,
    network: { plugin: PLUGIN, nodeSubnet },
    nodePools: [{ name: 'system', nodeCount: 2 }],
  };
}

export function smallSpec(name: string, nodeSubnet = '10.240.0.0/24') {
  return expandedSpec({ name, network: { nodeSubnet }, pool: { nodeCount: 2 } });
}

export const SMALL_DEFAULTS = [
  'network.serviceCidr',
  'network.dnsServiceIp',
  'network.dataplane',
  'network.privateCluster',
  'nodePools[0].mode',
  'nodePools[0].osType',
  'nodePools[0].maxPods',
  'nodePools[0].maxSurge',
  'reservations.internalLoadBalancers',
  'reservations.privateEndpoints',
];

/** (2 + 1 surge) x 31 = 93 of a /24's 251 usable addresses; 98 with Azure's 5 fit a /25. */
export function smallCapacity(nodeSubnet = '10.240.0.0/24') {
  return {
    verdict: 'ok',
    ranges: [
      {
        kind: 'node-subnet',
        cidr: nodeSubnet,
        total: 256,
        azureReserved: 5,
        usable: 251,
        required: { current: 62, atMaxCount: 62, duringUpgrade: 93 },
        free: 158,
        utilization: 0.371,
        nodeSlots: 8,
        verdict: 'ok',
        explain: '(2 nodes + 1 surge) x (1 node + 30 pods) = 93 of 251 usable',
        recommendedPrefixLength: 25,
      },
      DEFAULT_SERVICE_CAPACITY,
    ],
    publicIps: DEFAULT_PUBLIC_IPS,
    recommendation: { nodeSubnetPrefixLength: 25, podCidrPrefixLength: null },
    // 251 / 31 = 8 slots = 7 nodes + 1 surge.
    maxReach: [nodeSubnetReach('system', 2, 7, nodeSubnet)],
  };
}

interface DesignAnswer {
  spec: { name: string; [field: string]: unknown };
  defaultsApplied: string[];
  capacity: unknown;
  warnings?: unknown[];
}

/** A whole plan resource as the API returns it. */
export function planBody(design: DesignAnswer, revision = 1) {
  return {
    id: expect.any(String),
    name: design.spec.name,
    revision,
    labels: {},
    createdAt: expect.any(String),
    updatedAt: expect.any(String),
    spec: design.spec,
    defaultsApplied: design.defaultsApplied,
    warnings: design.warnings ?? [],
    capacity: design.capacity,
  };
}

export function examplePlan(name = 'prod-weu-1') {
  return planBody({ spec: exampleSpec(name), defaultsApplied: EXAMPLE_DEFAULTS, capacity: EXAMPLE_CAPACITY });
}

export function smallPlan(name: string, nodeSubnet = '10.240.0.0/24') {
  return planBody({
    spec: smallSpec(name, nodeSubnet),
    defaultsApplied: SMALL_DEFAULTS,
    capacity: smallCapacity(nodeSubnet),
  });
}

/** A lookup answer with every match returned: matchCount is their number, nothing truncated. */
export function answer<M>(
  ip: string,
  matches: M[],
): { ip: string; matches: M[]; matchCount: number; truncated: false } {
  return { ip, matches, matchCount: matches.length, truncated: false };
}
