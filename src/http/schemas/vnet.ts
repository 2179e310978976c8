import { z } from 'zod';
import { PLATFORM_ROLES } from '../../domain/design/platform-roles.js';

const VerdictSchema = z.enum(['ok', 'at-risk', 'exhausted']);

const RouteSchema = z.object({
  name: z.string(),
  addressPrefix: z.string(),
  nextHopType: z.enum(['VirtualAppliance', 'Internet']),
  nextHopIp: z
    .string()
    .nullable()
    .describe('VirtualAppliance: the firewall, or the kubenet node holding the pod CIDR'),
});

export const VnetSchema = z
  .object({
    addressSpace: z
      .array(
        z.object({
          cidr: z.string(),
          total: z.number().int(),
          inSubnets: z.number().int(),
          free: z.number().int(),
          verdict: VerdictSchema.describe('exhausted when a subnet to place found no room in the VNet'),
        }),
      )
      .describe('network.vnetAddressSpace, range by range; empty when the design names none'),
    verdict: VerdictSchema,
    subnets: z
      .array(
        z.object({
          name: z
            .string()
            .describe(
              "Platform subnets by their name; the cluster's as aks-nodes / aks-pods (with the pool for a pool's own)",
            ),
          role: z.enum([...PLATFORM_ROLES, 'aks-nodes', 'aks-pods']),
          cidr: z
            .string()
            .nullable()
            .describe('null when the planner found no room for it, or the design names no VNet'),
          prefixLength: z.number().int().nullable(),
          placed: z
            .boolean()
            .describe('Placed by the planner (first fit after the given subnets, largest first)'),
          total: z.number().int().nullable(),
          usable: z.number().int().nullable().describe("total less Azure's 5 reserved addresses"),
          holds: z.string().describe('What uses its addresses'),
        }),
      )
      .describe(
        "Every subnet of the VNet: the cluster's node and pod subnets, then the platform subnets in design order",
      ),
    freeBlocks: z
      .array(z.string())
      .describe("The VNet's addresses in no subnet, as the fewest aligned blocks"),
    missingAddresses: z
      .number()
      .int()
      .describe('Addresses of the subnets that found no room; 0 when all have a CIDR'),
    recommendation: z.object({
      vnetPrefixLength: z
        .number()
        .int()
        .nullable()
        .describe('The smallest VNet (one range) whose size holds every subnet; null beyond a /8'),
    }),
    firewallPrivateIp: z
      .string()
      .nullable()
      .describe('outbound.firewallPrivateIp, else the first usable address of AzureFirewallSubnet'),
    routeTables: z
      .array(
        z.object({
          name: z.string(),
          subnets: z.array(z.string()).describe('The cluster subnets it is associated with'),
          routes: z.array(RouteSchema),
        }),
      )
      .describe(
        "The cluster's route table: userDefinedRouting's 0.0.0.0/0 -> the firewall (and <firewall public IP>/32 -> Internet with public services), kubenet's <pod /24> -> <node IP> per current node",
      ),
    firewallRules: z
      .array(
        z.object({
          name: z.string(),
          collection: z.enum(['application', 'network']),
          protocols: z.array(z.string()),
          destinationPorts: z.array(z.number().int()),
          fqdnTags: z.array(z.string()),
          destinations: z.array(z.string()),
        }),
      )
      .describe(
        'userDefinedRouting through a firewall: the rules AKS needs (FQDN tag AzureKubernetesService, UDP 1194 and TCP 9000 to AzureCloud but for a private cluster, UDP 123)',
      ),
  })
  .describe('The whole VNet of the design: subnets, free space, routes and firewall rules');
