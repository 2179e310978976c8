import { z } from 'zod';
import { MAX_LIST_ITEMS } from '../list-protocol.js';
import { PageQuerySchema } from '../pages.js';
import { queryTime } from './common.js';

export const PodImportSchema = z
  .looseObject({ items: z.array(z.unknown()).max(MAX_LIST_ITEMS) })
  .describe(
    'The JSON of `kubectl get pods -A -o json`, as it is, or trimmed to metadata (name, namespace, ownerReferences), spec (nodeName, hostNetwork) and status (podIP, podIPs)',
  );

/** When a kubectl document was taken: an import older than the last one of its kind is refused. */
const observedAt = (earliest: string) =>
  z.strictObject({
    observedAt: queryTime(`When the document was taken (RFC 3339); default now. Not before ${earliest}`),
  });
export const ObservedAtQuerySchema = observedAt("the plan's last pod import");
export const NodesObservedAtQuerySchema = observedAt(
  "the plan's nodes were last recorded (an import or a node's record)",
);

export const PodImportResultSchema = z.object({
  observedAt: z.string(),
  seen: z.number().int().describe('Pod addresses in the document'),
  opened: z.number().int().describe('Assignments seen for the first time: intervals opened'),
  closed: z.number().int().describe('Assignments no longer seen: intervals closed at observedAt'),
});

export const AddressIntervalSchema = z.object({
  ip: z.string(),
  namespace: z.string(),
  pod: z.string(),
  ownerKind: z.string().nullable(),
  ownerName: z.string().nullable(),
  node: z.string().nullable(),
  hostNetwork: z.boolean().describe("A host-network pod: the address is its node's"),
  from: z.string().describe('The import that first saw it'),
  to: z.string().nullable().describe('The import that no longer saw it; null while it is held'),
});

export const AddressParamsSchema = z.object({
  id: z.string().min(1).max(128).describe('Plan id or name').meta({ example: 'prod-weu-1' }),
  ip: z.string().min(1).max(64).describe('The address').meta({ example: '10.240.0.57' }),
});

export const AddressHistoryQuerySchema = PageQuerySchema.extend({
  cursor: z
    .string()
    .max(512)
    .optional()
    .describe('The nextCursor of the previous page; leave it out for the newest')
    .meta({ example: 'eyJhZnRlciI6Mn0' }),
});

export const AddressHistorySchema = z.object({
  items: z.array(AddressIntervalSchema).describe('Newest first'),
  nextCursor: z.string().nullable(),
});
