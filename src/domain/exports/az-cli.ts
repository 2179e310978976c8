import { shellWord } from '../shell-word.js';
import {
  type ClusterShape,
  commentText,
  identifier,
  idleTimeoutNote,
  type PoolShape,
} from './cluster-shape.js';

/**
 * The flags each az command accepts, as `az ... --help` lists them (azure-cli 2.7x); every flag
 * the export writes is one of these, and a test holds it to that.
 */
export const AZ_FLAGS = {
  'network vnet subnet create': [
    '--resource-group',
    '--vnet-name',
    '--name',
    '--address-prefixes',
    '--delegations',
  ],
  'network vnet subnet show': ['--resource-group', '--vnet-name', '--name', '--query', '--output'],
  'network vnet subnet update': ['--resource-group', '--vnet-name', '--name', '--route-table'],
  'network route-table create': ['--resource-group', '--name', '--location'],
  'network route-table route create': [
    '--resource-group',
    '--route-table-name',
    '--name',
    '--address-prefix',
    '--next-hop-type',
    '--next-hop-ip-address',
  ],
  'aks create': [
    '--resource-group',
    '--name',
    '--location',
    '--generate-ssh-keys',
    '--network-plugin',
    '--network-plugin-mode',
    '--network-dataplane',
    '--network-policy',
    '--pod-cidr',
    '--pod-cidrs',
    '--service-cidr',
    '--service-cidrs',
    '--dns-service-ip',
    '--ip-families',
    '--nodepool-name',
    '--node-count',
    '--node-vm-size',
    '--max-pods',
    '--vnet-subnet-id',
    '--pod-subnet-id',
    '--pod-ip-allocation-mode',
    '--enable-node-public-ip',
    '--enable-cluster-autoscaler',
    '--min-count',
    '--max-count',
    '--outbound-type',
    '--load-balancer-managed-outbound-ip-count',
    '--load-balancer-outbound-ports',
    '--load-balancer-idle-timeout',
    '--nat-gateway-managed-outbound-ip-count',
    '--nat-gateway-idle-timeout',
    '--bootstrap-artifact-source',
    '--enable-private-cluster',
    '--assign-identity',
    '--enable-static-egress-gateway',
  ],
  'aks nodepool add': [
    '--resource-group',
    '--cluster-name',
    '--name',
    '--mode',
    '--os-type',
    '--node-count',
    '--node-vm-size',
    '--max-pods',
    '--vnet-subnet-id',
    '--pod-subnet-id',
    '--pod-ip-allocation-mode',
    '--enable-node-public-ip',
    '--enable-cluster-autoscaler',
    '--min-count',
    '--max-count',
    '--max-surge',
    '--gateway-prefix-size',
  ],
  'aks nodepool update': ['--resource-group', '--cluster-name', '--name', '--max-surge'],
} as const;

type Command = keyof typeof AZ_FLAGS;
type Flag<C extends Command> = (typeof AZ_FLAGS)[C][number];

/** One az command, a flag per line; values are quoted literals or "$VARIABLE" references. */
class AzCommand<C extends Command> {
  private readonly parts: string[] = [];
  constructor(private readonly command: C) {}

  flag(name: Flag<C>, value?: string | number | { variable: string }): this {
    if (value === undefined) this.parts.push(name);
    else if (typeof value === 'object') this.parts.push(`${name} "$${value.variable}"`);
    else this.parts.push(`${name} ${shellWord(String(value))}`);
    return this;
  }

  maybe(name: Flag<C>, value: string | number | undefined): this {
    return value === undefined ? this : this.flag(name, value);
  }

  /** Whether this command adds a node pool (it takes --max-surge; aks create does not). */
  get adds(): boolean {
    return this.command === 'aks nodepool add';
  }

  text(): string {
    return [`az ${this.command}`, ...this.parts].join(' \\\n  ');
  }
}

const subnetVariable = (key: string) => `${identifier(key).toUpperCase()}_SUBNET_ID`;

/**
 * A bash script with the az CLI: the subnets in an existing VNet, `az aks create` with the
 * planned flags for the first System pool, and `az aks nodepool add` for every other pool.
 */
export function azCli(shape: ClusterShape, source: string): string {
  const lines = [
    '#!/usr/bin/env bash',
    `# ${commentText(source)}: the az CLI.`,
    ...shape.notes.map((n) => `# ${commentText(n)}`),
    'set -euo pipefail',
    `: ${['RESOURCE_GROUP', ...(shape.managedVnet ? [] : ['VNET_NAME']), 'LOCATION', 'VM_SIZE', ...(shape.identity === 'UserAssigned' ? ['IDENTITY_ID'] : [])].map((name) => `"\${${name}:?set ${name}}"`).join(' ')}`,
    '',
  ];
  for (const subnet of shape.subnets) {
    const create = new AzCommand('network vnet subnet create')
      .flag('--resource-group', { variable: 'RESOURCE_GROUP' })
      .flag('--vnet-name', { variable: 'VNET_NAME' })
      .flag('--name', subnet.name)
      .flag('--address-prefixes', subnet.cidr);
    if (subnet.delegation !== undefined) create.flag('--delegations', subnet.delegation);
    const show = new AzCommand('network vnet subnet show')
      .flag('--resource-group', { variable: 'RESOURCE_GROUP' })
      .flag('--vnet-name', { variable: 'VNET_NAME' })
      .flag('--name', subnet.name)
      .flag('--query', 'id')
      .flag('--output', 'tsv');
    lines.push(create.text(), `${subnetVariable(subnet.key)}=$(${show.text()})`, '');
  }
  lines.push(...routeTable(shape));
  const [first, ...others] = shape.pools;
  lines.push(createCluster(shape, first), '');
  // az aks create has no --max-surge: the first pool's surge is set on the pool once it exists.
  if (first !== undefined) lines.push(surgeOf(shape, first), '');
  for (const pool of others) lines.push(addPool(shape, pool), '');
  return lines.join('\n');
}

/** The cluster's route table, its routes, and its association with the node subnets (before the cluster). */
function routeTable(shape: ClusterShape): string[] {
  const table = shape.routeTable;
  if (table === undefined) return [];
  const lines = [
    new AzCommand('network route-table create')
      .flag('--resource-group', { variable: 'RESOURCE_GROUP' })
      .flag('--name', table.name)
      .flag('--location', { variable: 'LOCATION' })
      .text(),
  ];
  for (const route of table.routes)
    lines.push(
      new AzCommand('network route-table route create')
        .flag('--resource-group', { variable: 'RESOURCE_GROUP' })
        .flag('--route-table-name', table.name)
        .flag('--name', route.name)
        .flag('--address-prefix', route.addressPrefix)
        .flag('--next-hop-type', route.nextHopType)
        .maybe('--next-hop-ip-address', route.nextHopIp)
        .text(),
    );
  for (const subnet of shape.subnets.filter((s) => s.routed))
    lines.push(
      new AzCommand('network vnet subnet update')
        .flag('--resource-group', { variable: 'RESOURCE_GROUP' })
        .flag('--vnet-name', { variable: 'VNET_NAME' })
        .flag('--name', subnet.name)
        .flag('--route-table', table.name)
        .text(),
    );
  return lines.flatMap((line) => [line, '']);
}

function createCluster(shape: ClusterShape, first: PoolShape | undefined): string {
  const dualStack = shape.ipVersions.length > 1;
  const create = new AzCommand('aks create')
    .flag('--resource-group', { variable: 'RESOURCE_GROUP' })
    .flag('--name', shape.name)
    .flag('--location', { variable: 'LOCATION' })
    .flag('--generate-ssh-keys')
    .flag('--network-plugin', shape.networkPlugin)
    .maybe('--network-plugin-mode', shape.networkPluginMode)
    .maybe('--network-dataplane', shape.networkDataplane)
    .maybe('--network-policy', shape.networkDataplane)
    .maybe(dualStack ? '--pod-cidrs' : '--pod-cidr', shape.podCidrs.join(',') || undefined)
    .flag(dualStack ? '--service-cidrs' : '--service-cidr', shape.serviceCidrs.join(','))
    .maybe('--dns-service-ip', shape.dnsServiceIp)
    .maybe('--ip-families', dualStack ? shape.ipVersions.join(',') : undefined)
    .flag('--outbound-type', shape.outboundType);
  if (shape.networkIsolated) create.flag('--bootstrap-artifact-source', 'Cache');
  const outbound = shape.outbound;
  if (outbound?.type === 'loadBalancer')
    create
      .maybe('--load-balancer-managed-outbound-ip-count', outbound.managedOutboundIps)
      .maybe('--load-balancer-outbound-ports', outbound.allocatedOutboundPorts)
      .maybe('--load-balancer-idle-timeout', outbound.idleTimeoutMinutes);
  if (outbound?.type === 'managedNATGateway')
    create
      .maybe('--nat-gateway-managed-outbound-ip-count', outbound.managedOutboundIps)
      .maybe('--nat-gateway-idle-timeout', outbound.idleTimeoutMinutes);
  if (shape.privateCluster) create.flag('--enable-private-cluster');
  if (shape.identity === 'UserAssigned') create.flag('--assign-identity', { variable: 'IDENTITY_ID' });
  // Gateway pools are added after the cluster, which needs the feature on first.
  if (shape.pools.some((pool) => pool.mode === 'Gateway')) create.flag('--enable-static-egress-gateway');
  if (first !== undefined) {
    create.flag('--nodepool-name', first.name);
    poolFlags(create, first);
  }
  const idle =
    outbound?.type === 'loadBalancer'
      ? idleTimeoutNote(outbound.idleTimeoutMinutes, 'The az CLI')
      : undefined;
  return idle === undefined ? create.text() : `# ${commentText(idle)}\n${create.text()}`;
}

function addPool(shape: ClusterShape, pool: PoolShape): string {
  const add = new AzCommand('aks nodepool add')
    .flag('--resource-group', { variable: 'RESOURCE_GROUP' })
    .flag('--cluster-name', shape.name)
    .flag('--name', pool.name)
    .flag('--mode', pool.mode)
    .flag('--os-type', pool.osType);
  if (pool.gatewayPrefixSize !== undefined) add.flag('--gateway-prefix-size', pool.gatewayPrefixSize);
  poolFlags(add, pool);
  return add.text();
}

function surgeOf(shape: ClusterShape, pool: PoolShape): string {
  return new AzCommand('aks nodepool update')
    .flag('--resource-group', { variable: 'RESOURCE_GROUP' })
    .flag('--cluster-name', shape.name)
    .flag('--name', pool.name)
    .flag('--max-surge', pool.maxSurge)
    .text();
}

/** The flags a pool has in both commands (surge only when adding: create has none). */
function poolFlags(command: AzCommand<'aks create'> | AzCommand<'aks nodepool add'>, pool: PoolShape): void {
  const c = command as AzCommand<'aks nodepool add'>;
  c.flag('--node-count', pool.nodeCount)
    .flag('--node-vm-size', { variable: 'VM_SIZE' })
    .flag('--max-pods', pool.maxPods);
  if (pool.nodeSubnet !== undefined)
    c.flag('--vnet-subnet-id', { variable: subnetVariable(pool.nodeSubnet.key) });
  if (pool.podSubnet !== undefined)
    c.flag('--pod-subnet-id', { variable: subnetVariable(pool.podSubnet.key) });
  if (pool.staticBlock) c.flag('--pod-ip-allocation-mode', 'StaticBlock');
  if (pool.nodePublicIp) c.flag('--enable-node-public-ip');
  if (pool.autoscale !== undefined)
    c.flag('--enable-cluster-autoscaler')
      .flag('--min-count', pool.autoscale.minCount)
      .flag('--max-count', pool.autoscale.maxCount);
  if (command.adds) c.flag('--max-surge', pool.maxSurge);
}
