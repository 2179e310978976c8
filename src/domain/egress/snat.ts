import { formatCount } from '../capacity/numbers.js';
import { type Verdict, verdictFor } from '../capacity/verdict.js';
import { poolSize } from '../plan/pool-size.js';
import type { OutboundSpec, OutboundType, PlanSpec } from '../plan/spec.js';
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
  readonly recommendation: { readonly outboundIps: number | null; readonly portsPerNode: number | null };
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
  if (outbound.type === 'loadBalancer') return loadBalancerSnat(outbound, nodes);
  if (isNatGateway(outbound.type)) return natGatewaySnat(outbound, nodes.required);
  return {
    type: outbound.type,
    outboundIps: null,
    portsPerNode: null,
    ports: null,
    maxNodes: null,
    required: nodes.required,
    verdict: 'ok',
    explain:
      "egress leaves through the route table's next hop (a firewall or appliance); AKS allocates no outbound IP and no SNAT ports",
    recommendation: { outboundIps: null, portsPerNode: null },
  };
}

function loadBalancerSnat(
  outbound: OutboundSpec,
  nodes: { current: number; required: number },
): SnatCapacity {
  const ips = outbound.managedOutboundIps ?? 1;
  const explicit = outbound.allocatedOutboundPorts ?? 0;
  const perNode = explicit > 0 ? explicit : defaultPortsPerNode(nodes.required);
  const ports = EGRESS.loadBalancerPortsPerIp * ips;
  const maxNodes = Math.floor(ports / perNode);
  const needed = nodes.required * perNode;
  const source = explicit > 0 ? 'allocated' : `default for a backend pool of ${nodes.required}`;
  const arithmetic = `${formatCount(perNode)} ports per node (${source}) x ${formatCount(nodes.required)} nodes (maxima + surge) = ${formatCount(needed)} of ${formatCount(ports)} ports (${ips} IP${ips === 1 ? '' : 's'} x 64,000): room for ${formatCount(maxNodes)} nodes`;
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
    recommendation: {
      outboundIps: fewest(Math.ceil(needed / EGRESS.loadBalancerPortsPerIp), EGRESS.loadBalancerIps.max),
      portsPerNode: largestPortsPerNode(ports, nodes.required),
    },
  };
}

function natGatewaySnat(outbound: OutboundSpec, required: number): SnatCapacity {
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
    explain: `${formatCount(ports)} ports (${ips} IP${ips === 1 ? '' : 's'} x 64,512) shared on demand by ${formatCount(required)} nodes (maxima + surge): ${formatCount(average)} per node on average, ${formatCount(maxNodes)} nodes at ${formatCount(target)} each. An idle flow keeps its port for the ${idle}-minute idle timeout, so a node averaging ${formatCount(average)} ports can open about ${formatCount(Math.floor(average / idle))} new flows a minute to one destination`,
    recommendation: {
      outboundIps: fewest(
        Math.ceil((required * target) / EGRESS.natGatewayPortsPerIp),
        EGRESS.natGatewayIps.max,
      ),
      portsPerNode: null,
    },
  };
}

/** At least one IP; null when even the most allowed would not do. */
function fewest(ips: number, max: number): number | null {
  const n = Math.max(ips, 1);
  return n <= max ? n : null;
}

/** The largest multiple of 8 every node can get from `ports`, at most 64,000. */
function largestPortsPerNode(ports: number, nodes: number): number | null {
  if (nodes === 0) return EGRESS.maxAllocatedPorts;
  const even = Math.floor(ports / nodes / EGRESS.portGranularity) * EGRESS.portGranularity;
  return even >= EGRESS.portGranularity ? Math.min(even, EGRESS.maxAllocatedPorts) : null;
}
