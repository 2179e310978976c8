import { UNSEEN_IN_CODE } from '../visible-text.js';
import {
  type ClusterShape,
  commentText,
  dnsPrefixOf,
  gatewayPoolsNote,
  identifier,
  type PoolShape,
  type SubnetShape,
  templateOutbound,
} from './cluster-shape.js';

/**
 * A Bicep string: single quotes, with quotes, backslashes, line breaks, other control characters
 * and interpolation escaped.
 */
function quoted(text: string): string {
  const escaped = text
    .replaceAll('\\', '\\\\')
    .replaceAll("'", "\\'")
    .replaceAll('${', '\\${')
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\t', '\\t')
    // Other characters a reader would not see, as code points: a stored name is not checked again.
    .replace(UNSEEN_IN_CODE, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
  return `'${escaped}'`;
}

type Value =
  | string
  | number
  | boolean
  | { readonly ref: string }
  | readonly Value[]
  | { readonly [k: string]: Value | undefined };

/** A Bicep value, indented by `depth`; object properties that are undefined are left out. */
function value(v: Value, depth: number): string {
  if (typeof v === 'string') return quoted(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const pad = '  '.repeat(depth + 1);
  const end = '  '.repeat(depth);
  if (Array.isArray(v)) return `[\n${v.map((item) => `${pad}${value(item, depth + 1)}`).join('\n')}\n${end}]`;
  if ('ref' in v && typeof v.ref === 'string') return v.ref;
  const entries = Object.entries(v).filter((e): e is [string, Value] => e[1] !== undefined);
  return `{\n${entries.map(([k, item]) => `${pad}${k}: ${value(item, depth + 1)}`).join('\n')}\n${end}}`;
}

const ref = (text: string) => ({ ref: text });
const subnetSymbol = (s: SubnetShape) => `subnet_${identifier(s.key)}`;
const SUBNET_API = 'Microsoft.Network/virtualNetworks/subnets@2024-05-01';
const ROUTE_TABLE_API = 'Microsoft.Network/routeTables@2024-05-01';

/**
 * Bicep: the subnets in an existing VNet and a Microsoft.ContainerService/managedClusters
 * (API 2024-09-01) with its networkProfile and agentPoolProfiles.
 */
export function bicep(shape: ClusterShape, source: string): string {
  const lines = [
    `// ${commentText(source)}: Bicep.`,
    ...shape.notes.map((n) => `// ${commentText(n)}`),
    ...(shape.managedVnet
      ? []
      : ["@description('The existing virtual network the subnets are created in')", 'param vnetName string']),
    "@description('The VM size of every node pool')",
    'param vmSize string',
    ...(shape.identity === 'UserAssigned'
      ? [
          "@description('The resource id of the cluster\\'s user-assigned managed identity')",
          'param identityId string',
        ]
      : []),
    'param location string = resourceGroup().location',
    '',
    ...(shape.managedVnet
      ? []
      : [
          "resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' existing = {",
          '  name: vnetName',
          '}',
          '',
        ]),
  ];
  const table = shape.routeTable;
  if (table !== undefined) {
    const routes = table.routes.map((r) => ({
      name: r.name,
      properties: {
        addressPrefix: r.addressPrefix,
        nextHopType: r.nextHopType,
        nextHopIpAddress: r.nextHopIp,
      },
    }));
    const body = { name: table.name, location: ref('location'), properties: { routes } };
    if (shape.networkPlugin === 'kubenet')
      lines.push(
        '// AKS adds a route per node to this table. A deployment replaces the routes a table has with the',
        '// ones listed here: deploy this file again only after adding the routes AKS wrote, or nodes lose them.',
      );
    lines.push(`resource routeTable '${ROUTE_TABLE_API}' = ${value(body, 0)}`, '');
  }
  let previous: string | undefined;
  for (const subnet of shape.subnets) {
    // Subnets of one VNet are written one after another: Azure refuses concurrent subnet writes.
    const body = {
      parent: ref('vnet'),
      name: subnet.name,
      properties: {
        addressPrefix: subnet.cidr,
        delegations:
          subnet.delegation === undefined
            ? undefined
            : [{ name: 'delegation', properties: { serviceName: subnet.delegation } }],
        routeTable: subnet.routed ? { id: ref('routeTable.id') } : undefined,
      },
      dependsOn: previous === undefined ? undefined : [ref(previous)],
    };
    lines.push(`resource ${subnetSymbol(subnet)} '${SUBNET_API}' = ${value(body, 0)}`, '');
    previous = subnetSymbol(subnet);
  }
  const dualStack = shape.ipVersions.length > 1;
  const outbound = shape.outbound;
  const networkProfile = {
    networkPlugin: shape.networkPlugin,
    networkPluginMode: shape.networkPluginMode,
    networkDataplane: shape.networkDataplane,
    networkPolicy: shape.networkDataplane,
    podCidr: dualStack ? undefined : shape.podCidrs[0],
    podCidrs: dualStack ? [...shape.podCidrs] : undefined,
    serviceCidr: dualStack ? undefined : shape.serviceCidrs[0],
    serviceCidrs: dualStack ? [...shape.serviceCidrs] : undefined,
    dnsServiceIP: shape.dnsServiceIp,
    ipFamilies: dualStack ? [...shape.ipVersions] : undefined,
    outboundType: templateOutbound(shape, 'API 2025-03-01').type,
    loadBalancerProfile:
      outbound?.type === 'loadBalancer'
        ? {
            managedOutboundIPs:
              outbound.managedOutboundIps === undefined ? undefined : { count: outbound.managedOutboundIps },
            allocatedOutboundPorts: outbound.allocatedOutboundPorts,
            idleTimeoutInMinutes: outbound.idleTimeoutMinutes,
          }
        : undefined,
    natGatewayProfile:
      outbound?.type === 'managedNATGateway'
        ? {
            managedOutboundIPProfile:
              outbound.managedOutboundIps === undefined ? undefined : { count: outbound.managedOutboundIps },
            idleTimeoutInMinutes: outbound.idleTimeoutMinutes,
          }
        : undefined,
  };
  const cluster = {
    name: shape.name,
    location: ref('location'),
    identity:
      shape.identity === 'UserAssigned'
        ? // The key is Bicep: the parameter's value, interpolated into a quoted property name.
          { type: 'UserAssigned', userAssignedIdentities: { "'${identityId}'": {} } }
        : { type: 'SystemAssigned' },
    properties: {
      dnsPrefix: dnsPrefixOf(shape.name),
      apiServerAccessProfile: shape.privateCluster ? { enablePrivateCluster: true } : undefined,
      agentPoolProfiles: shape.pools.filter((pool) => pool.mode !== 'Gateway').map(poolProfile),
      networkProfile,
      // Outbound type none or block: AKS refuses either unless nodes bootstrap from a registry cache.
      bootstrapProfile: shape.networkIsolated ? { artifactSource: 'Cache' } : undefined,
    },
  };
  // bootstrapProfile and outbound type none came after 2024-09-01; the older version stays for
  // every other design, as deployed and tested.
  const api = shape.networkIsolated ? '2025-03-01' : '2024-09-01';
  if (shape.pools.some((p) => p.staticBlock))
    lines.push(
      '// Static block pod IP allocation (podIPAllocationMode StaticBlock) is not written here, and a pool',
      '// takes it only when created: az aks create or az aks nodepool add --pod-ip-allocation-mode StaticBlock,',
      '// as the az-cli export does.',
    );
  const notes = [gatewayPoolsNote(shape, `API ${api}`), templateOutbound(shape, `API ${api}`).note];
  for (const note of notes) if (note !== undefined) lines.push(`// ${commentText(note)}`);
  lines.push(
    `resource cluster 'Microsoft.ContainerService/managedClusters@${api}' = ${value(cluster, 0)}`,
    '',
  );
  return lines.join('\n');
}

function poolProfile(pool: PoolShape): Value {
  return {
    name: pool.name,
    mode: pool.mode,
    osType: pool.osType,
    count: pool.nodeCount,
    enableAutoScaling: pool.autoscale !== undefined,
    minCount: pool.autoscale?.minCount,
    maxCount: pool.autoscale?.maxCount,
    maxPods: pool.maxPods,
    vmSize: ref('vmSize'),
    vnetSubnetID: pool.nodeSubnet === undefined ? undefined : ref(`${subnetSymbol(pool.nodeSubnet)}.id`),
    podSubnetID: pool.podSubnet === undefined ? undefined : ref(`${subnetSymbol(pool.podSubnet)}.id`),
    enableNodePublicIP: pool.nodePublicIp || undefined,
    upgradeSettings: { maxSurge: pool.maxSurge },
  };
}
