/** Egress facts (shared/aks-networking.md section 5). */
export const EGRESS = {
  loadBalancerPortsPerIp: 64_000,
  natGatewayPortsPerIp: 64_512,
  loadBalancerIps: { min: 1, max: 100 },
  natGatewayIps: { min: 1, max: 16 },
  maxAllocatedPorts: 64_000,
  portGranularity: 8,
  idleTimeout: { min: 4, max: 120 },
  defaultLoadBalancerIdleTimeout: 30,
  defaultNatGatewayIdleTimeout: 4,
  /** The average ports per node a NAT gateway is sized for when nothing else is asked. */
  natGatewayTargetPortsPerNode: 1024,
  windowsHostPorts: 64,
} as const;

/** The largest backend pool the default table documents. */
export const DEFAULT_PORT_TABLE_END = 1000;

/** AKS's default allocation by backend pool size, when allocatedOutboundPorts is 0. */
const DEFAULT_PORT_TABLE: readonly { maxNodes: number; ports: number }[] = [
  { maxNodes: 50, ports: 1024 },
  { maxNodes: 100, ports: 512 },
  { maxNodes: 200, ports: 256 },
  { maxNodes: 400, ports: 128 },
  { maxNodes: 800, ports: 64 },
  { maxNodes: DEFAULT_PORT_TABLE_END, ports: 32 },
];

/** Ports per node from the default table; past 1,000 nodes (not documented) the last row holds. */
export function defaultPortsPerNode(backendPoolSize: number): number {
  const row = DEFAULT_PORT_TABLE.find((r) => backendPoolSize <= r.maxNodes);
  return row?.ports ?? 32;
}

export const isNatGateway = (type: string): boolean =>
  type === 'managedNATGateway' || type === 'userAssignedNATGateway';
