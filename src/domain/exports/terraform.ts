import { firstFreeName } from '../identifiers.js';
import { UNSEEN_IN_CODE } from '../visible-text.js';
import {
  type ClusterShape,
  commentText,
  dnsPrefixOf,
  gatewayPoolsNote,
  identifier,
  idleTimeoutNote,
  type PoolShape,
  type SubnetShape,
  templateOutbound,
} from './cluster-shape.js';

/** A value written as is (a reference such as var.location), not as a string. */
class Raw {
  constructor(readonly text: string) {}
}
const raw = (text: string) => new Raw(text);
type Value = string | number | boolean | Raw | readonly string[];

/**
 * An HCL string: JSON escapes, but \b and \f, which HCL lacks, as \u escapes, as are the other
 * characters a reader would not see (DEL, C1, bidirectional controls, line separators), which
 * JSON leaves raw; and template markers written literally ($${ and %%{).
 */
function quoted(text: string): string {
  // A function, not a replacement string: in one, "$$" would stand for a single "$".
  return JSON.stringify(text)
    .replace(UNSEEN_IN_CODE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\\./g, (pair) => HCL_ESCAPES[pair] ?? pair)
    .replaceAll('${', () => '$${')
    .replaceAll('%{', () => '%%{');
}

const HCL_ESCAPES: Readonly<Record<string, string>> = { '\\b': '\\u0008', '\\f': '\\u000c' };

function value(v: Value): string {
  if (v instanceof Raw) return v.text;
  if (typeof v === 'string') return quoted(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return `[${v.map(quoted).join(', ')}]`;
}

/** Lines of one block; attributes whose value is undefined are left out. */
class Block {
  private readonly lines: string[] = [];
  constructor(private readonly depth: number) {}

  attr(name: string, v: Value | undefined): this {
    if (v !== undefined) this.lines.push(`${'  '.repeat(this.depth)}${name} = ${value(v)}`);
    return this;
  }

  block(header: string, fill: (b: Block) => void): this {
    const inner = new Block(this.depth + 1);
    fill(inner);
    const pad = '  '.repeat(this.depth);
    this.lines.push(`${pad}${header} {`, ...inner.lines, `${pad}}`);
    return this;
  }

  /** An object-valued attribute: `name = { ... }`. */
  object(name: string, fill: (b: Block) => void): this {
    return this.block(`${name} =`, fill);
  }

  comment(text: string): this {
    this.lines.push(`${'  '.repeat(this.depth)}# ${commentText(text)}`);
    return this;
  }

  text(): string {
    return this.lines.join('\n');
  }
}

const subnetId = (s: SubnetShape | undefined) =>
  s === undefined ? undefined : raw(`azurerm_subnet.${s.key}.id`);

/**
 * Terraform for the azurerm provider 4.x: the subnets inside an existing VNet, the cluster with
 * its network profile and first System pool, and one node pool resource per other pool. The
 * resource group, location, VNet and VM size are variables.
 */
export function terraform(shape: ClusterShape, source: string): string {
  const top = new Block(0);
  top.comment(`${source}: azurerm provider 4.x.`);
  for (const note of shape.notes) top.comment(note);
  top.block('terraform', (t) =>
    t.block('required_providers', (p) =>
      p.object('azurerm', (a) => a.attr('source', 'hashicorp/azurerm').attr('version', '~> 4.0')),
    ),
  );
  const variables = [
    ['resource_group_name', 'The resource group of the cluster and its virtual network'],
    ['location', 'The Azure region'],
    ['virtual_network_name', 'The existing virtual network the subnets are created in'],
    ['vm_size', 'The VM size of every node pool'],
    ['identity_id', "The resource id of the cluster's user-assigned managed identity"],
  ] as const;
  const used = (name: string) =>
    name === 'virtual_network_name'
      ? !shape.managedVnet
      : name !== 'identity_id' || shape.identity === 'UserAssigned';
  for (const [name, description] of variables.filter(([n]) => used(n)))
    top.block(`variable "${name}"`, (v) => v.attr('type', raw('string')).attr('description', description));
  for (const subnet of shape.subnets)
    top.block(`resource "azurerm_subnet" "${subnet.key}"`, (b) => subnetBlock(b, subnet));
  // userDefinedRouting: AKS checks the route table on the subnet when the cluster is created.
  const prerequisites = routeTable(top, shape);
  const [first, ...others] = shape.pools;
  top.block('resource "azurerm_kubernetes_cluster" "this"', (c) => {
    if (prerequisites.length > 0) c.attr('depends_on', raw(`[${prerequisites.join(', ')}]`));
    c.attr('name', shape.name)
      .attr('location', raw('var.location'))
      .attr('resource_group_name', raw('var.resource_group_name'))
      .attr('dns_prefix', dnsPrefixOf(shape.name))
      .attr('private_cluster_enabled', shape.privateCluster);
    if (first !== undefined)
      c.block('default_node_pool', (p) => poolAttributes(p.attr('name', first.name), first));
    c.block('identity', (i) =>
      shape.identity === 'UserAssigned'
        ? i.attr('type', 'UserAssigned').attr('identity_ids', raw('[var.identity_id]'))
        : i.attr('type', 'SystemAssigned'),
    );
    c.block('network_profile', (n) => networkProfile(n, shape));
    // AKS refuses outbound type none or block unless the nodes bootstrap from a registry cache.
    if (shape.networkIsolated) {
      const { note } = templateOutbound(shape, 'azurerm');
      if (note !== undefined) c.comment(note);
      c.comment(
        'azurerm takes outbound_type "none" and bootstrap_profile from the provider version that added network isolated clusters: should yours refuse them, create the cluster with the az-cli export.',
      );
      c.block('bootstrap_profile', (b) => b.attr('artifact_source', 'Cache'));
    }
    // The autoscaler moves node_count: Terraform would set it back on every apply.
    if (first?.autoscale !== undefined)
      c.block('lifecycle', (l) => l.attr('ignore_changes', raw('[default_node_pool[0].node_count]')));
  });
  const gateways = gatewayPoolsNote(shape, 'the azurerm provider 4.x');
  if (gateways !== undefined) top.comment(gateways);
  for (const pool of others.filter((p) => p.mode !== 'Gateway'))
    top.block(`resource "azurerm_kubernetes_cluster_node_pool" "${identifier(pool.name)}"`, (p) => {
      p.attr('name', pool.name)
        .attr('kubernetes_cluster_id', raw('azurerm_kubernetes_cluster.this.id'))
        .attr('mode', pool.mode)
        .attr('os_type', pool.osType);
      poolAttributes(p, pool);
      if (pool.autoscale !== undefined)
        p.block('lifecycle', (l) => l.attr('ignore_changes', raw('[node_count]')));
    });
  return `${top.text().replaceAll('\n}\n', '\n}\n\n')}\n`;
}

function subnetBlock(b: Block, subnet: SubnetShape): void {
  b.attr('name', subnet.name)
    .attr('resource_group_name', raw('var.resource_group_name'))
    .attr('virtual_network_name', raw('var.virtual_network_name'))
    .attr('address_prefixes', [subnet.cidr]);
  const delegation = subnet.delegation;
  if (delegation !== undefined)
    b.block('delegation', (d) =>
      d
        .attr('name', 'delegation')
        .block('service_delegation', (s) =>
          s
            .attr('name', delegation)
            .attr('actions', ['Microsoft.Network/virtualNetworks/subnets/join/action']),
        ),
    );
}

/** The cluster's route table, its routes and its association with the node subnets: what the cluster waits for. */
function routeTable(top: Block, shape: ClusterShape): string[] {
  const table = shape.routeTable;
  if (table === undefined) return [];
  top.block('resource "azurerm_route_table" "cluster"', (t) => {
    t.attr('name', table.name)
      .attr('location', raw('var.location'))
      .attr('resource_group_name', raw('var.resource_group_name'));
  });
  // Routes as resources of their own, none inline: inline routes are the table's whole list, and
  // the next apply would delete the per-node routes kubenet's AKS writes into the table.
  const keys = new Set<string>();
  const routes = table.routes.map((route) => {
    const base = identifier(route.name);
    const key = firstFreeName(
      (candidate) => keys.has(candidate),
      (n) => (n === 1 ? base : `${base}_${n}`),
    );
    keys.add(key);
    top.block(`resource "azurerm_route" "${key}"`, (r) =>
      r
        .attr('name', route.name)
        .attr('resource_group_name', raw('var.resource_group_name'))
        .attr('route_table_name', raw('azurerm_route_table.cluster.name'))
        .attr('address_prefix', route.addressPrefix)
        .attr('next_hop_type', route.nextHopType)
        .attr('next_hop_in_ip_address', route.nextHopIp),
    );
    return `azurerm_route.${key}`;
  });
  const routed = shape.subnets.filter((s) => s.routed);
  for (const subnet of routed)
    top.block(`resource "azurerm_subnet_route_table_association" "${subnet.key}"`, (a) =>
      a
        .attr('subnet_id', raw(`azurerm_subnet.${subnet.key}.id`))
        .attr('route_table_id', raw('azurerm_route_table.cluster.id')),
    );
  // AKS checks the subnet's route to the firewall when the cluster is created.
  return [...routes, ...routed.map((s) => `azurerm_subnet_route_table_association.${s.key}`)];
}

function poolAttributes(p: Block, pool: PoolShape): void {
  p.attr('vm_size', raw('var.vm_size'))
    .attr('node_count', pool.nodeCount)
    .attr('auto_scaling_enabled', pool.autoscale !== undefined)
    .attr('min_count', pool.autoscale?.minCount)
    .attr('max_count', pool.autoscale?.maxCount)
    .attr('max_pods', pool.maxPods)
    .attr('vnet_subnet_id', subnetId(pool.nodeSubnet))
    .attr('pod_subnet_id', subnetId(pool.podSubnet))
    .attr('node_public_ip_enabled', pool.nodePublicIp || undefined);
  if (pool.staticBlock)
    p.comment(
      'Static block pod IP allocation has no azurerm 4.x argument, and a pool takes it only when created: az aks create or az aks nodepool add --pod-ip-allocation-mode StaticBlock, as the az-cli export does.',
    );
  p.block('upgrade_settings', (u) => u.attr('max_surge', pool.maxSurge));
}

function networkProfile(n: Block, shape: ClusterShape): void {
  const dualStack = shape.ipVersions.length > 1;
  n.attr('network_plugin', shape.networkPlugin)
    .attr('network_plugin_mode', shape.networkPluginMode)
    .attr('network_data_plane', shape.networkDataplane)
    .attr('network_policy', shape.networkDataplane)
    .attr('pod_cidr', dualStack ? undefined : shape.podCidrs[0])
    .attr('pod_cidrs', dualStack ? shape.podCidrs : undefined)
    .attr('service_cidr', dualStack ? undefined : shape.serviceCidrs[0])
    .attr('service_cidrs', dualStack ? shape.serviceCidrs : undefined)
    .attr('dns_service_ip', shape.dnsServiceIp)
    .attr('outbound_type', templateOutbound(shape, 'azurerm').type)
    .attr('ip_versions', dualStack ? shape.ipVersions : undefined);
  // AKS runs Cilium on the node subnet too (az CLI 2.69 and later); azurerm documents it with
  // overlay or a pod subnet only.
  if (
    shape.networkDataplane === 'cilium' &&
    shape.networkPluginMode === undefined &&
    !shape.pools.some((p) => p.podSubnet)
  )
    n.comment(
      'azurerm documents network_data_plane "cilium" with overlay or a pod subnet only; AKS also runs it on the node subnet (az CLI 2.69 and later): should the provider refuse it, create the cluster with the az-cli export.',
    );
  const outbound = shape.outbound;
  if (outbound?.type === 'loadBalancer')
    n.block('load_balancer_profile', (l) => {
      const note = idleTimeoutNote(outbound.idleTimeoutMinutes, 'azurerm');
      if (note !== undefined) l.comment(note);
      l.attr('managed_outbound_ip_count', outbound.managedOutboundIps)
        .attr('outbound_ports_allocated', outbound.allocatedOutboundPorts)
        .attr('idle_timeout_in_minutes', outbound.idleTimeoutMinutes);
    });
  if (outbound?.type === 'managedNATGateway')
    n.block('nat_gateway_profile', (g) =>
      g
        .attr('managed_outbound_ip_count', outbound.managedOutboundIps)
        .attr('idle_timeout_in_minutes', outbound.idleTimeoutMinutes),
    );
}
