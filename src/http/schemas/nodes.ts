import { z } from 'zod';
import { wholeNumber } from './common.js';

export const NodeSlotSchema = z.object({
  pool: z.string(),
  index: z.number().int().describe('Slot index within the pool'),
  nodeName: z.string().optional().describe('The recorded real node in this slot'),
  fits: z
    .boolean()
    .describe(
      'False for a slot a range has no room for (exhausted plan): AKS would not create that node, and it takes no addresses; the next node created takes the next free ones',
    ),
  nodeIp: z
    .string()
    .nullable()
    .describe(
      "The slot's planned node IP, or the IP of the node recorded in it (the recorded node wins, as in lookups); null when the node subnet has no room for the slot",
    ),
  podRange: z
    .object({ first: z.string(), last: z.string(), count: z.number().int() })
    .nullable()
    .optional()
    .describe('azure-cni-node-subnet: the maxPods addresses right after the node IP'),
  podCidr: z
    .string()
    .nullable()
    .optional()
    .describe(
      "kubenet and overlay: the node's /24 of the pod CIDR (10.244.0.0/24, 10.244.1.0/24, ...); null when the pod CIDR has run out or the slot has no node IP",
    ),
  podBlocks: z
    .array(z.string())
    .nullable()
    .optional()
    .describe(
      "azure-cni-pod-subnet with static-block allocation: the node's /28 blocks; null when the pod subnet has no room for them or the slot has no node IP",
    ),
  podCidrs: z
    .array(z.string().nullable())
    .optional()
    .describe(
      "Dual-stack overlay: the node's /24 and /80, IPv4 first; both null when either pod CIDR has run out or the slot has no node IP (a node gets a block of each family or none)",
    ),
});

export const NodePageSchema = z.object({
  total: z.number().int(),
  items: z.array(NodeSlotSchema),
});

export const NodesQuerySchema = z.strictObject({
  pool: z.string().max(64).optional().describe('Only the slots of this pool').meta({ example: 'system' }),
  offset: wholeNumber({ min: 0, byDefault: 0 })
    .describe('Slots to skip: slots are computed, so they page by position')
    .meta({ example: 0 }),
  limit: wholeNumber({ min: 1, max: 1000, byDefault: 100 })
    .describe('Slots per page, 1-1,000; default 100')
    .meta({ example: 100 }),
});
