import { counted, formatCount } from '../capacity/numbers.js';
import { type Verdict, verdictFor } from '../capacity/verdict.js';
import { poolSize } from '../design/pool-size.js';
import type { OutboundSpec, OutboundType, PlanSpec } from '../design/spec.js';
import { defaultPortsPerNode, EGRESS, isNatGateway } from './outbound-limits.js';

/** Outbound SNAT capacity: the public contract's `capacity.snat`. */
export interface SnatCapacity {
  readonly type: OutboundType;
  readonly outboundIps: number | null;
  /** Load balancer: ports each node gets. NAT gateway: the average at the maxima plus surge. */
  readonly portsPerNode: number | null;
  readonly ports: number | null;
  /** Load balancer: nodes the ports carry. NAT gateway: nodes at the target average per node. */
  readonly maxNodes: number | null;
  /** Nodes at the autoscaler maxima plus upgrade surge, over all pools. */
  readonly required: number;
  readonly verdict: Verdict;
  readonly explain: string;
  readonly recommendation: SnatRecommendation;
}

/**
 * An egress design whose own verdict is ok: applied as it is (`outbound`), it is below the
 * at-risk threshold. `outbound` is null when no design within AKS's limits gets there.
 */
export interface SnatRecommendation {
  readonly outboundIps: number | null;
  readonly portsPerNode: number | null;
  readonly outbound: OutboundSpec | null;
  /** Why the recommendation changes the outbound type, or why there is none. */
  readonly note?: string;
}

/** Nodes in the backend pool now and at the maxima plus surge. */
export function backendPoolSizes(spec: PlanSpec): { current: number; required: number } {
  const sizes = spec.nodePools.map(poolSize);
  return {
    current: sizes.reduce((sum, s) => sum + s.current, 0),
    required: sizes.reduce((sum, s) => sum + s.duringUpgrade, 0),
  };
}

export function snatCapacity(spec: PlanSpec, outbound: OutboundSpec): SnatCapacity {
  const nodes = backendPoolSizes(spec);
  if (outbound.type === 'loadBalancer') {
    return {
      ...loadBalancerSnat(outbound, nodes),
      recommendation: recommendLoadBalancer(spec, outbound, nodes),
    };
  }
  if (isNatGateway(outbound.type)) {
    return {
      ...natGatewaySnat(outbound, nodes.required),
      recommendation: recommendNatGateway(outbound, nodes),
    };
  }
  return {
    type: outbound.type,
    outboundIps: null,
    portsPerNode: null,
    ports: null,
    maxNodes: null,
    required: nodes.required,
    verdict: 'ok',
    explain: `${NO_SNAT_EGRESS[outbound.type] ?? NO_SNAT_EGRESS.userDefinedRouting}; AKS allocates no outbound IP and no SNAT ports`,
    recommendation: { outboundIps: null, portsPerNode: null, outbound },
  };
}

/** Where egress goes when AKS gives the cluster no outbound IP. */
const NO_SNAT_EGRESS: Readonly<Record<string, string>> = {
  userDefinedRouting: "egress leaves through the route table's next hop (a firewall or appliance)",
  none: 'AKS sets up no egress path (outbound type none): nodes without public IPs of their own reach only what your network routes them to',
  block: 'AKS blocks all egress (outbound type block)',
};

type Nodes = { current: number; required: number };
type SnatFigures = Omit<SnatCapacity, 'recommendation'>;

function loadBalancerSnat(outbound: OutboundSpec, nodes: Nodes): SnatFigures {
  const ips = outbound.managedOutboundIps ?? 1;
  const explicit = outbound.allocatedOutboundPorts ?? 0;
  const perNode = explicit > 0 ? explicit : defaultPortsPerNode(nodes.required);
  const ports = EGRESS.loadBalancerPortsPerIp * ips;
  const maxNodes = Math.floor(ports / perNode);
  const needed = nodes.required * perNode;
  const source = explicit > 0 ? 'allocated' : `default for a backend pool of ${nodes.required}`;
  const arithmetic = `${formatCount(perNode)} ports per node (${source}) x ${counted(nodes.required, 'node')} (maxima + surge) = ${formatCount(needed)} of ${formatCount(ports)} ports (${counted(ips, 'IP')} x 64,000): room for ${counted(maxNodes, 'node')}`;
  const atCreation = nodes.current * perNode;
  const refusal =
    explicit > 0 && atCreation > ports
      ? `AKS refuses it: "Total node count ${nodes.current} requires ${atCreation} ports but only ${ports} ports are available given ${ips} outbound public IPs". `
      : '';
  return {
    type: 'loadBalancer',
    outboundIps: ips,
    portsPerNode: perNode,
    ports,
    maxNodes,
    required: nodes.required,
    verdict: refusal === '' ? verdictFor(BigInt(nodes.required), BigInt(maxNodes)) : 'exhausted',
    explain: `${refusal}${arithmetic}`,
  };
}

function natGatewaySnat(outbound: OutboundSpec, required: number): SnatFigures {
  const ips = outbound.managedOutboundIps ?? 1;
  const idle = outbound.idleTimeoutMinutes ?? EGRESS.defaultNatGatewayIdleTimeout;
  const ports = EGRESS.natGatewayPortsPerIp * ips;
  const target = EGRESS.natGatewayTargetPortsPerNode;
  const average = required > 0 ? Math.floor(ports / required) : ports;
  const maxNodes = Math.floor(ports / target);
  const verdict: Verdict = required > maxNodes ? 'at-risk' : verdictFor(BigInt(required), BigInt(maxNodes));
  return {
    type: outbound.type,
    outboundIps: ips,
    portsPerNode: average,
    ports,
    maxNodes,
    required,
    verdict,
    explain: `${formatCount(ports)} ports (${counted(ips, 'IP')} x 64,512) shared on demand by ${counted(required, 'node')} (maxima + surge): ${formatCount(average)} per node on average, ${counted(maxNodes, 'node')} at ${formatCount(target)} each. An idle flow keeps its port for the ${idle}-minute idle timeout, so a node averaging ${formatCount(average)} ports can open about ${formatCount(Math.floor(average / idle))} new flows a minute to one destination`,
  };
}

/** The IP counts 1..max, fewest first: a recommendation takes the first whose verdict is ok. */
const ipCounts = (max: number) => Array.from({ length: max }, (_, i) => i + 1);

/**
 * Keep the requested ports per node and add outbound IPs; only when 100 IPs are not enough,
 * lower the ports per node to the most that 100 IPs carry; when nothing within AKS's limits
 * works, suggest a NAT gateway. With the default table (allocatedOutboundPorts 0), more IPs
 * give no node more ports, so a design the table does not serve on one IP, or whose growth
 * crosses a table boundary, first gets the ports its nodes have now made explicit: those then
 * hold as the pools grow, and IPs add room. The recommendation so depends on the pools, not on
 * how many IPs the design already has.
 */
function recommendLoadBalancer(spec: PlanSpec, outbound: OutboundSpec, nodes: Nodes): SnatRecommendation {
  const ok = (candidate: OutboundSpec) => loadBalancerSnat(candidate, nodes).verdict === 'ok';
  const byTable = (outbound.allocatedOutboundPorts ?? 0) === 0;
  const current = defaultPortsPerNode(nodes.current);
  // Not ok on one IP, or the pools' growth cuts the ports (SNAT_DEFAULT_PORTS_DROP): the table will not do.
  const tableFails = !ok({ ...outbound, managedOutboundIps: 1 });
  const explicit = byTable && (tableFails || defaultPortsPerNode(nodes.required) < current);
  const asked = explicit ? { ...outbound, allocatedOutboundPorts: current } : outbound;
  const note = explicit ? { note: explicitPortsNote(current, nodes.current) } : {};
  const withIps = ipCounts(EGRESS.loadBalancerIps.max)
    .map((ips) => ({ ...asked, managedOutboundIps: ips }))
    .find(ok);
  if (withIps !== undefined) return { ...applied(withIps, nodes), ...note };
  const ports = portsForAllIps(nodes.required);
  const fewerPorts = {
    ...asked,
    managedOutboundIps: EGRESS.loadBalancerIps.max,
    allocatedOutboundPorts: ports,
  };
  // Reached with explicit ports only: a design the table serves finds its IPs above.
  if (ports > 0 && ok(fewerPorts)) return { ...applied(fewerPorts, nodes), ...note };
  const nat = recommendNatGateway(natGatewaySection(spec, outbound), nodes);
  return {
    outboundIps: null,
    portsPerNode: null,
    outbound: nat.outbound,
    note: `no load balancer within AKS's limits (${EGRESS.loadBalancerIps.max} IPs, ${formatCount(EGRESS.maxAllocatedPorts)} ports per node) keeps ${formatCount(nodes.required)} nodes below 80% of their SNAT ports; ${nat.outbound === null ? 'nor does a NAT gateway' : 'a NAT gateway shares its ports on demand'}`,
  };
}

function explicitPortsNote(ports: number, current: number): string {
  return `allocatedOutboundPorts ${formatCount(ports)}, what the default table gives ${formatCount(current)} nodes, made explicit: with the default table (0), more outbound IPs give no node more ports, and growing past a table boundary halves every node's ports`;
}

/** The most ports per node (a multiple of 8) that 100 IPs give `required` nodes below 80%. */
function portsForAllIps(required: number): number {
  const ports = EGRESS.loadBalancerPortsPerIp * EGRESS.loadBalancerIps.max;
  // ok needs maxNodes x 4 > required x 5, so maxNodes >= floor(5 x required / 4) + 1.
  const maxNodes = Math.floor((5 * required) / 4) + 1;
  const perNode = Math.floor(ports / maxNodes / EGRESS.portGranularity) * EGRESS.portGranularity;
  return Math.min(perNode, EGRESS.maxAllocatedPorts);
}

function applied(outbound: OutboundSpec, nodes: Nodes): SnatRecommendation {
  const figures = loadBalancerSnat(outbound, nodes);
  return { outboundIps: figures.outboundIps, portsPerNode: figures.portsPerNode, outbound };
}

/** The fewest NAT gateway IPs (1-16) whose verdict is ok. */
function recommendNatGateway(outbound: OutboundSpec, nodes: Nodes): SnatRecommendation {
  const fitting = ipCounts(EGRESS.natGatewayIps.max)
    .map((ips) => ({ ...outbound, managedOutboundIps: ips }))
    .find((candidate) => natGatewaySnat(candidate, nodes.required).verdict === 'ok');
  if (fitting !== undefined)
    return { outboundIps: fitting.managedOutboundIps, portsPerNode: null, outbound: fitting };
  return {
    outboundIps: null,
    portsPerNode: null,
    outbound: null,
    note: `${EGRESS.natGatewayIps.max} NAT gateway IPs give fewer than ${formatCount(EGRESS.natGatewayTargetPortsPerNode)} ports per node on average to ${formatCount(nodes.required)} nodes; split egress across subnets with a NAT gateway each`,
  };
}

/** A NAT gateway in place of a load balancer: user-assigned with a custom VNet, else managed. */
function natGatewaySection(spec: PlanSpec, outbound: OutboundSpec): OutboundSpec {
  return {
    type: spec.network.vnetAddressSpace === undefined ? 'managedNATGateway' : 'userAssignedNATGateway',
    idleTimeoutMinutes: EGRESS.defaultNatGatewayIdleTimeout,
    publicLoadBalancerServices: outbound.publicLoadBalancerServices ?? 0,
  };
}
