import { z } from 'zod';
import { OUTBOUND_TYPES } from '../../domain/design/spec.js';
import { CountSchema } from './common.js';
import { OutboundInputSchema } from './plan-input.js';

const VerdictSchema = z.enum(['ok', 'at-risk', 'exhausted']);

const RequirementSchema = z.object({
  current: CountSchema.describe('nodeCount of every pool, plus reservations'),
  atMaxCount: CountSchema.describe('autoscaler maxima, plus reservations'),
  duringUpgrade: CountSchema.describe('maxima plus upgrade surge, plus reservations'),
});

export const RangeCapacitySchema = z.object({
  kind: z.enum(['node-subnet', 'pod-subnet', 'pod-cidr', 'service-cidr']),
  cidr: z.string(),
  total: CountSchema,
  azureReserved: CountSchema,
  usable: CountSchema,
  required: RequirementSchema,
  requiredAtLeast: RequirementSchema.optional().describe(
    'Dynamic pod IP allocation: the least the pod subnet needs (one batch of 16 per node); required is the most',
  ),
  free: CountSchema.describe('usable - required.duringUpgrade; negative is the shortfall'),
  utilization: z
    .number()
    .nullable()
    .describe(
      'required.duringUpgrade / usable, three decimals; null when the range has no usable address but must hold some (a static-block pod subnet of /27 or smaller: exhausted)',
    ),
  nodeSlots: CountSchema.nullable().describe(
    'Nodes that fit after reservations at the largest per-node block of the pools in the range; null for the service CIDR',
  ),
  verdict: VerdictSchema,
  explain: z.string().describe('The arithmetic behind required.duringUpgrade'),
  recommendedPrefixLength: z
    .number()
    .int()
    .nullable()
    .describe('Longest prefix whose usable addresses hold required.duringUpgrade'),
});

/** What stops a pool or a cluster from growing: a range, the SNAT ports, or an AKS size limit. */
export const ReachLimitSchema = z.object({
  kind: z.enum([
    'node-subnet',
    'pod-subnet',
    'pod-cidr',
    'service-cidr',
    'snat',
    'pool-size-limit',
    'cluster-size-limit',
    'kubenet-node-limit',
    'vnet-address-limit',
    'dynamic-pod-ip-limit',
    'gateway-prefix',
  ]),
  cidr: z.string().optional(),
});

export const SnatSchema = z.object({
  type: z.enum(OUTBOUND_TYPES),
  outboundIps: z.number().int().nullable(),
  portsPerNode: z
    .number()
    .int()
    .nullable()
    .describe(
      'loadBalancer: ports each node gets (explicit, or the default table at maxima + surge); NAT gateway: the average at maxima + surge',
    ),
  ports: z.number().int().nullable().describe('64,000 per IP (load balancer) or 64,512 per IP (NAT gateway)'),
  maxNodes: z
    .number()
    .int()
    .nullable()
    .describe('loadBalancer: floor(ports / portsPerNode); NAT gateway: nodes at 1,024 ports each on average'),
  required: z.number().int().describe('Nodes at the autoscaler maxima plus upgrade surge, all pools'),
  verdict: VerdictSchema,
  explain: z.string(),
  recommendation: z
    .object({
      outboundIps: z
        .number()
        .int()
        .nullable()
        .describe('The outbound IPs of the recommended design; null when it has none or there is none'),
      portsPerNode: z
        .number()
        .int()
        .nullable()
        .describe('loadBalancer: the ports each node gets in the recommended design'),
      outbound: OutboundInputSchema.nullable().describe(
        'The outbound section to apply as it is; its own SNAT verdict is ok. null when nothing within AKS limits is',
      ),
      note: z
        .string()
        .optional()
        .describe(
          'Why the recommendation changes the outbound type or makes allocatedOutboundPorts explicit, or why there is none',
        ),
    })
    .describe(
      'A design whose verdict is ok: the requested ports per node with the fewest IPs; fewer ports only when 100 IPs are not enough; a NAT gateway when no load balancer will do. With allocatedOutboundPorts 0 (the default table), more IPs give no node more ports: a design the table does not serve on one IP, or whose growth crosses a table boundary, gets the ports its nodes have now as an explicit allocatedOutboundPorts first',
    ),
});

export const CapacitySchema = z.object({
  verdict: VerdictSchema.describe(
    'The worst verdict of all ranges, SNAT and, with platform subnets, the VNet (exhausted when a subnet finds no room)',
  ),
  ranges: z.array(RangeCapacitySchema),
  snat: SnatSchema.optional().describe('Present when the design has an outbound section'),
  maxReach: z
    .array(
      z.object({
        pool: z.string(),
        currentMaxCount: z.number().int().describe('maxCount, or nodeCount without autoscaling'),
        maxCount: z
          .number()
          .int()
          .nullable()
          .describe(
            'The largest max count this pool can reach, the other pools held, with every range and limit still fitting during an upgrade',
          ),
        limitedBy: ReachLimitSchema.nullable().describe(
          'What stops the pool first: a range, the SNAT ports, or an AKS size limit',
        ),
      }),
    )
    .describe('How far each pool can grow'),
  publicIps: z
    .object({
      outbound: z
        .number()
        .int()
        .describe(
          "The load balancer's managed outbound IPs (1 when the design has no outbound section: AKS's default), or the NAT gateway's; 0 with userDefinedRouting, none or block",
        ),
      outboundIpv6: z
        .number()
        .int()
        .describe(
          "A dual-stack cluster's load balancer's managed IPv6 outbound IPs: 1, AKS's default (0 for an IPv4 cluster, and with a NAT gateway, userDefinedRouting, none or block)",
        ),
      loadBalancerServices: z
        .number()
        .int()
        .describe('outbound.publicLoadBalancerServices: one frontend IP each'),
      ingress: z.number().int().describe('ingress.publicIps: one frontend IP each'),
      firewall: z.number().int().describe('1 when the VNet holds the firewall or its public IP is recorded'),
      egressGateway: z
        .number()
        .int()
        .describe("Static egress gateway pools: every address of each pool's public IP prefix (a /31 is 2)"),
      nodePublicIps: z
        .number()
        .int()
        .describe(
          'Pools with nodePublicIp: one per node at the maximum plus surge (a surge node gets one too)',
        ),
      total: z.number().int(),
    })
    .describe('Public IPs the design consumes; one outbound IP and three public services make 4'),
  recommendation: z.object({
    nodeSubnetPrefixLength: z
      .number()
      .int()
      .nullable()
      .describe(
        "For the cluster's node subnet (network.nodeSubnet; the first pool's when every pool has its own): each range has its own recommendedPrefixLength",
      ),
    podCidrPrefixLength: z
      .number()
      .int()
      .nullable()
      .describe("For the cluster's IPv4 pod CIDR (overlay and kubenet); null for the other plugins"),
    ipv6PodCidrPrefixLength: z
      .number()
      .int()
      .nullable()
      .optional()
      .describe('Dual-stack designs: for the IPv6 pod CIDR, of which every node takes a /80'),
    vnetPrefixLength: z
      .number()
      .int()
      .nullable()
      .optional()
      .describe('Designs with platform subnets: the smallest VNet (one range) whose size holds every subnet'),
  }),
});
