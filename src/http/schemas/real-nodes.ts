import { z } from 'zod';
import { MAX_LIST_ITEMS } from '../list-protocol.js';
import { PlanIdParamsSchema } from './common.js';

export const RealNodeInputSchema = z.strictObject({
  pool: z.string().min(1).max(64).describe('The pool the node belongs to (its agentpool label)'),
  nodeIp: z.string().min(1).max(64).describe("The node's InternalIP"),
  podCidr: z.string().min(1).max(64).optional().describe("The node's pod CIDR (kubenet and overlay)"),
});

export const RealNodeParamsSchema = PlanIdParamsSchema.extend({
  name: z.string().min(1).max(253).describe('The Kubernetes node name').meta({ example: 'aks-system-0' }),
});

const SlotSchema = z.object({ pool: z.string(), index: z.number().int() });

export const RecordedNodeSchema = z.object({
  name: z.string(),
  pool: z.string(),
  nodeIp: z.string().nullable(),
  podCidr: z.string().nullable(),
  slot: SlotSchema.nullable().describe(
    "The plan slot the node's address falls in; null when it is in none (drift)",
  ),
});

export const NodeImportSchema = z
  .looseObject({ items: z.array(z.unknown()).max(MAX_LIST_ITEMS) })
  .describe('The JSON of `kubectl get nodes -o json`, as it is');

export const NodeImportResultSchema = z.object({
  recorded: z.number().int(),
  nodes: z.array(RecordedNodeSchema),
  skipped: z
    .array(z.object({ name: z.string(), reason: z.string() }))
    .describe('Nodes of the list that are in no node pool (virtual nodes), not recorded'),
});

export const DriftSchema = z.object({
  outsidePlan: z.array(RecordedNodeSchema).describe('Nodes whose address is in no slot of the plan'),
  overfullPools: z
    .array(z.object({ pool: z.string(), nodes: z.number().int(), slots: z.number().int() }))
    .describe('Pools with more recorded nodes than planned slots'),
  wrongPool: z.array(RecordedNodeSchema).describe('Nodes in a slot planned for another pool'),
  sharedSlots: z
    .array(z.object({ slot: SlotSchema, nodes: z.array(z.string()) }))
    .describe('Slots more than one recorded node claims'),
});
