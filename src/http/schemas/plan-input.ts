import { z } from 'zod';
import { PLATFORM_ROLES } from '../../domain/design/platform-roles.js';
import {
  DATAPLANES,
  IP_FAMILIES,
  MAX_VNET_PREFIXES,
  OS_TYPES,
  OUTBOUND_TYPES,
  PLUGINS,
  POD_IP_ALLOCATIONS,
  POOL_MODES,
} from '../../domain/design/spec.js';
import { MAX_PUBLIC_FRONTENDS } from '../../domain/egress/public-ips.js';
import { MAX_RESERVED_ADDRESSES } from '../../domain/layout/reservations.js';
import { LabelsSchema } from './common.js';

/**
 * The design a client sends. These schemas check shape and types only; the AKS rules
 * (ranges, sizes, overlaps) are the domain's, so that every such problem is reported at once
 * with its own code.
 */
const cidr = (description: string, example: string) =>
  z.string().min(1).max(64).describe(`${description} CIDR, canonical (no host bits set)`).meta({ example });

const count = z.number().int().min(0);

/** A range taken from an address space when the plan is created, sized for the plan. */
export const SpaceRefSchema = z
  .strictObject({
    fromSpace: z.string().min(1).max(128).describe('Space id or name'),
    headroomPercent: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .optional()
      .describe('Room on top of required.duringUpgrade; default 20'),
  })
  .describe('Allocate this range from an address space when the plan is created');

/** A range field: a CIDR, or (on create and in calculations) a space to allocate it from. */
const rangeOrSpace = (description: string, example: string) =>
  z.union([cidr(description, example), SpaceRefSchema]);

export const NetworkInputSchema = z
  .strictObject({
    plugin: z.enum(PLUGINS).optional().describe('Network plugin; default azure-cni-overlay'),
    dataplane: z.enum(DATAPLANES).optional().describe('Dataplane; default azure'),
    vnetAddressSpace: z
      .array(cidr('VNet address range', '10.240.0.0/16'))
      .min(1)
      .max(MAX_VNET_PREFIXES)
      .optional()
      .describe('The VNet address space; node subnets must lie inside it'),
    nodeSubnet: rangeOrSpace('Default node subnet of the pools', '10.240.0.0/24').optional(),
    podSubnet: rangeOrSpace('Pod subnet (azure-cni-pod-subnet only)', '10.241.0.0/16').optional(),
    podIpAllocation: z
      .enum(POD_IP_ALLOCATIONS)
      .optional()
      .describe('Pod IP allocation of the pod-subnet plugin'),
    podCidr: rangeOrSpace('Pod CIDR (azure-cni-overlay and kubenet only)', '10.244.0.0/16').optional(),
    ipFamilies: z
      .array(z.enum(IP_FAMILIES))
      .min(1)
      .max(2)
      .optional()
      .describe(
        'azure-cni-overlay only: ["ipv4"] (default) or ["ipv4", "ipv6"] for dual-stack; IPv6-only is refused',
      )
      .meta({ example: ['ipv4', 'ipv6'] }),
    podCidrs: z
      .array(cidr('Pod', '10.244.0.0/16'))
      .min(1)
      .max(2)
      .optional()
      .describe(
        'Dual-stack overlay: IPv4 then IPv6 pod CIDR; default 10.244.0.0/16 and fd12:3456:789a::/64 (a /80 per node)',
      )
      .meta({ example: ['10.244.0.0/16', 'fd12:3456:789a::/64'] }),
    serviceCidr: cidr('Kubernetes service', '10.0.0.0/16').optional(),
    serviceCidrs: z
      .array(cidr('Kubernetes service', '10.0.0.0/16'))
      .min(1)
      .max(2)
      .optional()
      .describe(
        'Dual-stack overlay: IPv4 then IPv6 service CIDR (IPv6 no larger than /108); default 10.0.0.0/16 and fd12:3456:789a:1::/108',
      )
      .meta({ example: ['10.0.0.0/16', 'fd12:3456:789a:1::/108'] }),
    dnsServiceIp: z
      .string()
      .max(64)
      .optional()
      .describe('DNS service IP inside the service CIDR; default its 10th address (10.0.0.10)')
      .meta({ example: '10.0.0.10' }),
    privateCluster: z
      .boolean()
      .optional()
      .describe("A private cluster's API server endpoint takes one address in the first pool's subnet"),
    dockerBridgeCidr: z
      .string()
      .max(64)
      .optional()
      .describe(
        'Accepted for old clients and ignored with a warning: AKS no longer uses it. An IPv4 address with an optional prefix length (172.17.0.1/16)',
      ),
  })
  .describe('The cluster network');

export const NodePoolInputSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(64)
    .describe(
      'Lowercase letters and digits starting with a letter; 12 characters (Linux) or 6 (Windows) at most',
    )
    .meta({ example: 'system' }),
  mode: z
    .enum(POOL_MODES)
    .optional()
    .describe(
      'Default: System for the first pool, User for the rest. Gateway: a static egress gateway pool (Linux, no autoscaler, not with azure-cni-pod-subnet), whose nodes leave the cluster through a public IP prefix',
    ),
  osType: z.enum(OS_TYPES).optional().describe('Default Linux'),
  nodeCount: count.describe('Nodes now').meta({ example: 3 }),
  minCount: count.optional().describe('Autoscaler minimum (needs maxCount)'),
  maxCount: count.optional().describe('Autoscaler maximum; capacity plans for it').meta({ example: 5 }),
  maxPods: z
    .number()
    .int()
    .optional()
    .describe('Pods per node, 10-250; default per plugin (30 for azure-cni-node-subnet)'),
  maxSurge: z
    .union([count, z.string().max(8)])
    .optional()
    .describe(
      'Upgrade surge: whole nodes (5, or "5" as AKS writes it; kept as 5), or a percentage string such as "33%" of the largest pool size, rounded up; default "10%" (1 node up to 10 nodes), as the current AKS API',
    ),
  nodeSubnet: rangeOrSpace("This pool's own node subnet", '10.240.1.0/24').optional(),
  podSubnet: rangeOrSpace(
    "This pool's own pod subnet (azure-cni-pod-subnet only)",
    '10.241.0.0/16',
  ).optional(),
  gatewayPrefixSize: z
    .number()
    .int()
    .optional()
    .describe(
      "Gateway pools only: the length of the pool's public IP prefix, 28 to 31 (default 31, as the AKS API); each node takes one of its addresses, so a /30 holds 4 nodes",
    )
    .meta({ example: 30 }),
  nodePublicIp: z
    .boolean()
    .optional()
    .describe(
      'Every node of the pool gets a public IP of its own (instance-level public IPs, set when the pool is created): counted in capacity.publicIps.nodePublicIps at the maximum plus surge; default false',
    ),
});

export const ReservationsInputSchema = z
  .strictObject({
    internalLoadBalancers: count
      .max(MAX_RESERVED_ADDRESSES)
      .optional()
      .describe('Internal load balancer frontends in the node subnet; default 0'),
    privateEndpoints: count
      .max(MAX_RESERVED_ADDRESSES)
      .optional()
      .describe('Private endpoints in the node subnet; default 0'),
  })
  .describe("Addresses placed after the last node slot of the first pool's subnet");

export const OutboundInputSchema = z
  .strictObject({
    type: z
      .enum(OUTBOUND_TYPES)
      .optional()
      .describe(
        'Default loadBalancer. managedNATGateway needs the VNet AKS creates (no vnetAddressSpace). none (AKS sets up no egress) and block (AKS blocks egress, a preview, in the VNet AKS creates only) make a network isolated cluster: no outbound IP, no SNAT ports',
      ),
    managedOutboundIps: count
      .optional()
      .describe(
        'Outbound public IPs: 1-100 for loadBalancer, 1-16 for a NAT gateway; default 1; none with userDefinedRouting, none or block',
      ),
    allocatedOutboundPorts: count
      .optional()
      .describe(
        'loadBalancer only: SNAT ports per node, 0 (the default table by backend pool size, the default) or a multiple of 8 up to 64,000',
      ),
    idleTimeoutMinutes: count.optional().describe('4-120; default 30 for loadBalancer, 4 for a NAT gateway'),
    publicLoadBalancerServices: count
      .max(MAX_PUBLIC_FRONTENDS)
      .optional()
      .describe(
        'Public load balancer services planned (one public IP each); with userDefinedRouting they route asymmetrically unless the firewall DNATs them. Default 0',
      ),
    publicIps: z
      .array(z.string().max(64))
      .max(100)
      .optional()
      .describe(
        'loadBalancer and NAT gateway: the outbound public IPs once known (at most managedOutboundIps); a lookup of one answers outbound-public-ip with this plan',
      )
      .meta({ example: ['20.50.60.70'] }),
    firewallPrivateIp: z
      .string()
      .max(64)
      .optional()
      .describe(
        "userDefinedRouting: the firewall's private IP, the next hop of the default route; default the first usable address of the plan's AzureFirewallSubnet",
      )
      .meta({ example: '10.42.2.4' }),
    firewallPublicIp: z
      .string()
      .max(64)
      .optional()
      .describe(
        "userDefinedRouting: the firewall's public IP; with public load balancer services the route table gets <ip>/32 -> Internet (the DNAT return route)",
      )
      .meta({ example: '20.10.10.10' }),
  })
  .describe('Egress: SNAT capacity is reported in capacity.snat when this section is given');

/** At most this many platform subnets in one design. */
export const MAX_PLATFORM_SUBNETS = 50;

export const PlatformSubnetInputSchema = z
  .strictObject({
    role: z
      .enum(PLATFORM_ROLES)
      .describe(
        'What the subnet is for. Minimum sizes: azure-firewall, azure-firewall-management and bastion /26, api-server /28, application-gateway-for-containers /24, others /29',
      ),
    name: z
      .string()
      .min(1)
      .max(80)
      .optional()
      .describe(
        'Subnet name; fixed for azure-firewall (AzureFirewallSubnet), azure-firewall-management (AzureFirewallManagementSubnet), bastion (AzureBastionSubnet) and gateway (GatewaySubnet); default the role',
      ),
    cidr: cidr('The subnet', '10.42.2.0/26').optional(),
    prefixLength: z
      .number()
      .int()
      .min(0)
      .max(32)
      .optional()
      .describe(
        'Without a cidr: the size to place it at, inside vnetAddressSpace. Default per role: /26 firewall, firewall management and bastion, /27 gateway, private-endpoints and internal-load-balancers, /24 application gateways, /28 api-server; other needs one',
      ),
  })
  .describe('A subnet of the VNet beside the cluster: given, or placed by the planner');

export const IngressInputSchema = z
  .strictObject({
    publicIps: count
      .max(MAX_PUBLIC_FRONTENDS)
      .optional()
      .describe('Public IPs of ingress controllers (one load balancer frontend each); default 0'),
  })
  .describe('Ingress controllers exposed on public IPs');

export const PlanInputSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(256)
    .describe('Cluster name, unique among plans')
    .meta({ example: 'prod-weu-1' }),
  network: NetworkInputSchema.optional(),
  nodePools: z.array(NodePoolInputSchema).min(1).max(1000),
  reservations: ReservationsInputSchema.optional(),
  outbound: OutboundInputSchema.optional(),
  platformSubnets: z
    .array(PlatformSubnetInputSchema)
    .max(MAX_PLATFORM_SUBNETS)
    .optional()
    .describe(
      "The VNet's other subnets: firewall, bastion, gateway, application gateway, API server, private endpoints",
    ),
  ingress: IngressInputSchema.optional(),
});

/** A stored plan's body: the design and its labels. */
export const PlanRequestSchema = PlanInputSchema.extend({ labels: LabelsSchema.optional() });

/**
 * A calculation takes a plan's body (api.md): the name is optional there, and labels are read
 * and checked but stored nowhere, so that a portal can send a stored plan's body as it is.
 */
export const CalculationInputSchema = PlanRequestSchema.extend({
  name: PlanInputSchema.shape.name.optional(),
});
