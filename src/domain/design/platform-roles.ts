/**
 * The subnets a VNet holds beside a cluster's own, by what they are for. Sizes are prefix
 * lengths: `smallest` is the longest prefix Azure accepts for the role (aks-networking.md
 * section 7), `recommended` where the docs recommend more than they require, `default` what a
 * subnet given only by its role gets.
 */
export const PLATFORM_ROLES = [
  'azure-firewall',
  'azure-firewall-management',
  'bastion',
  'gateway',
  'application-gateway',
  'application-gateway-for-containers',
  'api-server',
  'private-endpoints',
  'internal-load-balancers',
  'other',
] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export interface PlatformRoleRule {
  /** The name Azure requires for the subnet; other roles are named freely. */
  readonly fixedName?: string;
  readonly smallest: number;
  readonly recommended?: number;
  /** Undefined for `other`: its size must be given. */
  readonly default?: number;
  /** What the subnet holds, in the VNet view. */
  readonly holds: string;
}

/** The smallest Azure subnet: 8 addresses, 3 usable. */
const AZURE_SMALLEST = 29;

export const PLATFORM_ROLE_RULES: Readonly<Record<PlatformRole, PlatformRoleRule>> = {
  'azure-firewall': {
    fixedName: 'AzureFirewallSubnet',
    smallest: 26,
    default: 26,
    holds: 'Azure Firewall (its private IP is the first usable address)',
  },
  'azure-firewall-management': {
    fixedName: 'AzureFirewallManagementSubnet',
    smallest: 26,
    default: 26,
    holds: 'Azure Firewall management traffic (forced tunnelling, Basic SKU)',
  },
  bastion: { fixedName: 'AzureBastionSubnet', smallest: 26, default: 26, holds: 'Azure Bastion' },
  gateway: {
    fixedName: 'GatewaySubnet',
    smallest: AZURE_SMALLEST,
    recommended: 27,
    default: 27,
    holds: 'VPN or ExpressRoute gateway',
  },
  // DECIDED: Application Gateway v2 "recommends" a /24 (125 instances); smaller is allowed.
  'application-gateway': {
    smallest: AZURE_SMALLEST,
    recommended: 24,
    default: 24,
    holds: 'Application Gateway v2 (one address per instance, one per private frontend)',
  },
  'application-gateway-for-containers': {
    smallest: 24,
    default: 24,
    holds: 'Application Gateway for Containers (delegated)',
  },
  'api-server': {
    smallest: 28,
    default: 28,
    holds:
      'API server VNet integration (delegated to Microsoft.ContainerService/managedClusters; AKS reserves at least 9 addresses)',
  },
  'private-endpoints': { smallest: AZURE_SMALLEST, default: 27, holds: 'private endpoints' },
  // azure-load-balancer-internal-subnet: a Service's annotation puts its frontend in another subnet.
  'internal-load-balancers': {
    smallest: AZURE_SMALLEST,
    default: 27,
    holds: 'internal load balancer frontends',
  },
  other: { smallest: AZURE_SMALLEST, holds: 'other resources' },
};

/** Names Azure keeps for one role each: no other subnet may take them. */
export const FIXED_SUBNET_NAMES: ReadonlySet<string> = new Set(
  Object.values(PLATFORM_ROLE_RULES).flatMap((rule) =>
    rule.fixedName === undefined ? [] : [rule.fixedName],
  ),
);

/** The name a subnet of this role gets when none is given: the fixed one, or the role. */
export function defaultSubnetName(role: PlatformRole): string {
  return PLATFORM_ROLE_RULES[role].fixedName ?? role;
}
