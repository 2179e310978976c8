/**
 * The examples of the OpenAPI document, as one story a new user could follow in Swagger UI on a
 * fresh database: probes, a space, plans of every plugin, lookups, then the clean-up. Every step
 * runs against the app when openapi.yaml is generated (its answer becomes the response example)
 * and in a test, which expects each to succeed as it is.
 */

import { PLAN_EXAMPLES, system } from './plan-examples.js';

export { PLAN_EXAMPLES };

/** Values earlier answers produced (ids), for the steps that name them. */
export type Captured = Readonly<Record<string, string>>;

export interface ExampleStep {
  readonly operationId: string;
  /** The example's key in the document. */
  readonly name: string;
  readonly summary: string;
  readonly params?: (captured: Captured) => Record<string, string>;
  readonly query?: Record<string, string>;
  readonly headers?: (captured: Captured) => Record<string, string>;
  readonly body?: unknown;
  /** The status the step answers when all goes well. */
  readonly status: number;
  readonly capture?: (body: Record<string, unknown>) => Record<string, string>;
}

const PLAN = { id: 'prod-weu-1' };
const SPACE = { id: 'corp-vnets' };
const allocation = (c: Captured) => ({ ...SPACE, allocationId: c.allocationId ?? '' });

const kubectlNodes = {
  apiVersion: 'v1',
  kind: 'List',
  items: [0, 1].map((i) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: `aks-system-${i}`, labels: { 'kubernetes.azure.com/agentpool': 'system' } },
    spec: { providerID: `azure:///subscriptions/x/vmss/${i}` },
    status: {
      addresses: [
        { type: 'InternalIP', address: `10.240.0.${4 + 31 * i}` },
        { type: 'Hostname', address: `aks-system-${i}` },
      ],
    },
  })),
};

const kubectlPods = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      metadata: {
        name: 'web-7d9f-x2l4q',
        namespace: 'shop',
        ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d9f', controller: true }],
      },
      spec: { nodeName: 'aks-system-0' },
      status: { podIP: '10.240.0.6', podIPs: [{ ip: '10.240.0.6' }] },
    },
  ],
};

/** The story, in order. */
export const EXAMPLE_STEPS: readonly ExampleStep[] = [
  { operationId: 'checkHealth', name: 'up', summary: 'The process is up', status: 200 },
  { operationId: 'checkReadiness', name: 'ready', summary: 'The database can serve', status: 200 },
  { operationId: 'getIndex', name: 'index', summary: 'Links for an API client', status: 200 },
  { operationId: 'listProblemTypes', name: 'all', summary: 'Every error code', status: 200 },
  {
    operationId: 'getProblemType',
    name: 'host-bits',
    summary: 'What CIDR_HOST_BITS_SET means',
    params: () => ({ code: 'cidr-host-bits-set' }),
    status: 200,
  },
  {
    operationId: 'createSpace',
    name: 'corp-vnets',
    summary: 'Blocks a platform team carves cluster subnets from',
    body: {
      name: 'corp-vnets',
      cidrs: ['10.128.0.0/12', 'fd00:10::/48'],
      description: 'Blocks for cluster subnets',
      labels: { team: 'platform' },
    },
    status: 201,
    capture: (body) => ({ spaceId: String(body.id) }),
  },
  {
    operationId: 'listSpaces',
    name: 'by-label',
    summary: 'Spaces of the platform team',
    query: { label: 'team=platform' },
    status: 200,
  },
  { operationId: 'getSpace', name: 'by-name', summary: 'A space by name', params: () => SPACE, status: 200 },
  {
    operationId: 'getFreeSpace',
    name: 'slash-24s',
    summary: 'How many /24s are free',
    params: () => SPACE,
    query: { prefixLength: '24' },
    status: 200,
  },
  {
    operationId: 'allocateBlock',
    name: 'by-addresses',
    summary: '1,581 usable addresses: the documented 50-node subnet, a /21',
    params: () => SPACE,
    headers: () => ({ 'idempotency-key': 'nodes-prod-weu-2' }),
    body: { addresses: 1581, purpose: 'node subnet of prod-weu-2' },
    status: 201,
    capture: (body) => ({ allocationId: String(body.id) }),
  },
  {
    operationId: 'listAllocations',
    name: 'first-page',
    summary: 'Allocations, lowest address first',
    params: () => SPACE,
    status: 200,
  },
  { operationId: 'getAllocation', name: 'one', summary: 'One allocation', params: allocation, status: 200 },
  {
    operationId: 'replaceSpace',
    name: 'add-a-range',
    summary: 'Add a range and a label',
    params: () => SPACE,
    headers: (c) => ({ 'if-match': `"1.${c.spaceId}"` }),
    body: {
      name: 'corp-vnets',
      cidrs: ['10.128.0.0/12', 'fd00:10::/48', '100.64.0.0/16'],
      description: 'Blocks for cluster subnets',
      labels: { team: 'platform', env: 'prod' },
    },
    status: 200,
  },
  ...PLAN_EXAMPLES.map((e) => ({
    operationId: 'createPlan',
    name: e.name,
    summary: e.summary,
    body: e.design,
    status: 201,
    // The plan later steps change: its ETag names its id.
    ...(e.design.name === PLAN.id
      ? { capture: (body: Record<string, unknown>) => ({ planId: String(body.id) }) }
      : {}),
  })),
  ...PLAN_EXAMPLES.map((e) => ({
    operationId: 'calculatePlan',
    name: e.name,
    summary: e.summary,
    body: e.design,
    status: 200,
  })),
  {
    operationId: 'listPlans',
    name: 'first-page',
    summary: 'The first two plans',
    query: { limit: '2' },
    status: 200,
  },
  { operationId: 'getPlan', name: 'by-name', summary: 'A plan by name', params: () => PLAN, status: 200 },
  {
    operationId: 'listNodeSlots',
    name: 'first-two',
    summary: 'The first two node slots',
    params: () => PLAN,
    query: { limit: '2' },
    status: 200,
  },
  {
    operationId: 'getCapacity',
    name: 'api-md',
    summary: 'The api.md capacity example',
    params: () => PLAN,
    status: 200,
  },
  {
    operationId: 'getVnet',
    name: 'udr-lab',
    summary: 'Subnets, free blocks, the route to the firewall and its rules',
    params: () => ({ id: 'udr-lab' }),
    status: 200,
  },
  {
    operationId: 'recordNode',
    name: 'node-0',
    summary: 'Record the node in slot 0',
    params: () => ({ ...PLAN, name: 'aks-system-0' }),
    body: { pool: 'system', nodeIp: '10.240.0.4' },
    status: 200,
  },
  {
    operationId: 'importNodes',
    name: 'kubectl',
    summary: 'The output of kubectl get nodes -o json',
    params: () => PLAN,
    body: kubectlNodes,
    status: 200,
  },
  {
    operationId: 'importPods',
    name: 'kubectl',
    summary: 'The output of kubectl get pods -A -o json, observed at 08:00 (an hour before now)',
    params: () => PLAN,
    query: { observedAt: '2026-01-05T08:00:00Z' },
    body: kubectlPods,
    status: 200,
  },
  {
    operationId: 'getAddressHistory',
    name: 'pod-ip',
    summary: 'Every pod that held 10.240.0.6',
    params: () => ({ ...PLAN, ip: '10.240.0.6' }),
    status: 200,
  },
  {
    operationId: 'getDrift',
    name: 'none',
    summary: 'How real nodes depart from the plan',
    params: () => PLAN,
    status: 200,
  },
  {
    operationId: 'replacePlan',
    name: 'grow',
    summary: 'Raise the autoscaler maximum to 6',
    params: () => PLAN,
    headers: (c) => ({ 'if-match': `"1.${c.planId}"` }),
    body: {
      ...(PLAN_EXAMPLES[0]?.design ?? {}),
      nodePools: [system({ maxCount: 6, maxPods: 30, maxSurge: 1 })],
      labels: { team: 'payments' },
    },
    status: 200,
  },
  {
    operationId: 'listPlanRevisions',
    name: 'history',
    summary: 'Who changed the plan, and what',
    params: () => PLAN,
    status: 200,
  },
  {
    operationId: 'getPlanRevision',
    name: 'first',
    summary: 'The plan as it was first stored',
    params: () => ({ ...PLAN, revision: '1' }),
    status: 200,
  },
  {
    operationId: 'compareDesigns',
    name: 'cni-or-overlay',
    summary: 'A /22 at maxPods 30, or overlay?',
    body: {
      base: {
        network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/22' },
        nodePools: [system({ maxPods: 30 }), { name: 'apps', nodeCount: 10, maxCount: 20, maxPods: 30 }],
      },
      variants: [
        { name: 'overlay', changes: { network: { plugin: 'azure-cni-overlay', podCidr: '10.244.0.0/16' } } },
        { name: 'maxpods-50', changes: { nodePools: [{ name: 'apps', maxPods: 50 }] } },
      ],
    },
    status: 200,
  },
  {
    operationId: 'lookupAddress',
    name: 'pod',
    summary: 'A pod IP of node 0',
    query: { ip: '10.240.0.8' },
    status: 200,
  },
  {
    operationId: 'lookupAddress',
    name: 'at-a-time',
    summary: 'Who had 10.240.0.6 at 08:03 (the recorded pod)',
    query: { ip: '10.240.0.6', at: '2026-01-05T08:03:00Z' },
    status: 200,
  },
  {
    operationId: 'lookupAddresses',
    name: 'flow-log',
    summary: 'Addresses from a flow log',
    body: { ips: ['10.240.0.8', '10.244.1.9', '10.0.0.10', '192.168.7.7'] },
    status: 200,
  },
  { operationId: 'listConflicts', name: 'all', summary: 'Overlaps Azure or AKS would refuse', status: 200 },
  {
    operationId: 'createToken',
    name: 'pipeline',
    summary: 'A token for a pipeline that writes plans',
    body: { name: 'platform pipeline', scopes: ['write'], expiresAt: '2026-04-05T09:00:00Z' },
    status: 201,
    capture: (body) => ({ tokenId: String(body.id) }),
  },
  { operationId: 'listTokens', name: 'all', summary: 'Unrevoked tokens, never their secrets', status: 200 },
  {
    operationId: 'getToken',
    name: 'pipeline',
    summary: 'The pipeline token, where its Location points',
    params: (c) => ({ id: c.tokenId ?? '' }),
    status: 200,
  },
  { operationId: 'getMetrics', name: 'scrape', summary: 'What Prometheus scrapes', status: 200 },
  {
    operationId: 'importPlan',
    name: 'kubenet',
    summary: 'A running kubenet cluster, planned without storing it',
    query: { dryRun: 'true' },
    body: {
      cluster: {
        name: 'aks-legacy',
        networkProfile: {
          networkPlugin: 'kubenet',
          podCidr: '10.244.0.0/16',
          serviceCidr: '10.21.0.0/16',
          dnsServiceIp: '10.21.0.10',
          outboundType: 'loadBalancer',
          loadBalancerProfile: { managedOutboundIPs: { count: 1 }, idleTimeoutInMinutes: 30 },
        },
        agentPoolProfiles: [
          {
            name: 'system',
            mode: 'System',
            osType: 'Linux',
            count: 3,
            enableAutoScaling: false,
            maxPods: 110,
            upgradeSettings: { maxSurge: '10%' },
            vnetSubnetId:
              '/subscriptions/x/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/legacy',
          },
        ],
      },
      subnets: [
        {
          id: '/subscriptions/x/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/legacy',
          name: 'legacy',
          addressPrefix: '10.20.0.0/24',
        },
      ],
    },
    status: 200,
  },
  {
    operationId: 'exportPlan',
    name: 'terraform',
    summary: 'The plan as Terraform for azurerm 4.x',
    params: () => ({ ...PLAN, format: 'terraform' }),
    status: 200,
  },
  {
    operationId: 'getPlanMap',
    name: 'map',
    summary: 'The address space of prod-weu-1',
    params: () => PLAN,
    status: 200,
  },
  {
    operationId: 'calculateMap',
    name: 'overlay',
    summary: 'The address space of a design',
    body: {
      name: 'preview',
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.250.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3, minCount: 3, maxCount: 10 }],
    },
    status: 200,
  },
  {
    operationId: 'exportCalculation',
    name: 'az-cli',
    summary: 'A design as an az CLI script',
    params: () => ({ format: 'az-cli' }),
    body: {
      name: 'preview',
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.250.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3, minCount: 3, maxCount: 10 }],
    },
    status: 200,
  },
  {
    operationId: 'listAuditEntries',
    name: 'replacements',
    summary: 'Every plan replacement, newest first',
    query: { action: 'plan.replace' },
    status: 200,
  },
  {
    operationId: 'revokeToken',
    name: 'revoke',
    summary: 'Revoke the pipeline token',
    params: (c) => ({ id: c.tokenId ?? '' }),
    status: 204,
  },
  {
    operationId: 'releaseAllocation',
    name: 'release',
    summary: 'Release the /21',
    params: allocation,
    status: 204,
  },
  {
    operationId: 'deletePlan',
    name: 'from-space',
    summary: 'Delete a plan; its blocks go back',
    params: () => ({ id: 'from-space' }),
    status: 204,
  },
  {
    operationId: 'deleteSpace',
    name: 'empty',
    summary: 'Delete the empty space',
    params: () => SPACE,
    status: 204,
  },
];
