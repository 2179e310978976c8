/**
 * Every warning a design can carry: the README's Warnings section names each one (a test holds
 * it to that), so a new warning is documented where users look for it.
 */
export const WARNING_CODES = [
  'CILIUM_LIMITATIONS',
  'CILIUM_WINDOWS_POOLS',
  'DOCKER_BRIDGE_CIDR_IGNORED',
  'DUAL_STACK_NAT_GATEWAY',
  'DYNAMIC_POD_IPS_ABOVE_LIMIT',
  'DYNAMIC_POD_SUBNET_TOO_LARGE',
  'GATEWAY_POOL_SINGLE_NODE',
  'KUBENET_RETIREMENT',
  'LOAD_BALANCER_FRONTENDS_LIMIT',
  'NETWORK_ISOLATED_NOT_SUPPORTED',
  'NETWORK_ISOLATED_PUBLIC_API_SERVER',
  'NODE_PUBLIC_IP_EGRESS',
  'OVERLAY_NODE_BLOCK_FIXED',
  'OVERLAY_POD_CIDR_EXPAND_ONLY',
  'OVERLAY_POD_CIDR_FIXED',
  'PLATFORM_SUBNET_BELOW_RECOMMENDED',
  'POD_CIDR_NOT_PRIVATE',
  'PRIVATE_ENDPOINTS_SUBNET_FULL',
  'SERVICE_CIDR_AT_LIMIT',
  'SERVICE_CIDR_NOT_PRIVATE',
  'SERVICE_CIDR_OVERLAPS_VNET',
  'SNAT_DEFAULT_PORTS_DROP',
  'SNAT_DEFAULT_TABLE_EXCEEDED',
  'STATIC_BLOCK_WASTE',
  'STORED_PLAN_BREAKS_RULE',
  'UDR_ASYMMETRIC_ROUTING',
  'UDR_NO_NEXT_HOP',
  'VNET_CONFIGURED_IPS_ABOVE_LIMIT',
  'WINDOWS_MAX_PODS',
  'WINDOWS_SNAT_PORTS',
] as const;

export type WarningCode = (typeof WARNING_CODES)[number];

/** A choice AKS accepts but that deserves a second look: stored and answered with the design. */
export interface Warning {
  readonly code: WarningCode;
  readonly message: string;
}
