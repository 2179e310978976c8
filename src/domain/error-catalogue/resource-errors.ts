import { conflict, type ErrorEntry, invalid, refused } from './entries.js';

/** Refusals about stored things: comparisons, spaces, allocations, lookups, revisions and queries. */
export const RESOURCE_ERRORS = {
  // Comparisons, spaces and allocations
  VARIANT_NAME_DUPLICATE: invalid(
    'Variant name used twice',
    'Give every variant of a comparison its own name.',
  ),
  SPACE_REF_NOT_ALLOWED: invalid(
    'Space reference where a concrete range is needed',
    'Spaces are allocated when a plan is created; replacements and comparisons take concrete CIDRs.',
  ),
  SPACE_NAME_INVALID: invalid(
    'Invalid space name',
    'Use 1-64 letters, digits, ".", "-" and "_", starting and ending with a letter or digit, not shaped like an id (a UUID).',
  ),
  SPACE_CIDRS_OVERLAP: invalid(
    'Space CIDRs overlap',
    'Give the space blocks that do not overlap each other.',
  ),
  CIDR_OUTSIDE_SPACE: invalid('CIDR outside the space', 'Ask for a block inside one of the space CIDRs.'),
  PREFIX_LENGTH_INVALID: invalid(
    'Invalid prefix length',
    'Ask for a prefix length of the family the space holds (0-32 for IPv4, 0-128 for IPv6); addresses sizes IPv4 blocks only.',
  ),
  ALLOCATION_SIZE_REQUIRED: invalid(
    'Allocation size missing or given twice',
    'Give exactly one of prefixLength, addresses or cidr.',
  ),
  ADDRESSES_TOO_MANY: invalid(
    'More addresses than any subnet holds',
    'Ask for fewer addresses, or split them over subnets.',
  ),
  SPACE_FAMILY_MISSING: invalid(
    'The space has no range of that family',
    'Ask for the family the space holds, or add a range of that family to the space.',
  ),
  IDEMPOTENCY_KEY_REUSED: invalid(
    'Idempotency-Key reused for another request',
    'Use a new Idempotency-Key for a different request; a key stands for one request for 24 hours.',
  ),
  IDEMPOTENCY_KEY_RELEASED: conflict(
    "Idempotency-Key's allocation released",
    'The block this key allocated has been released since (and may be held by someone else now): send a new Idempotency-Key to allocate again.',
  ),
  LABELS_INVALID: invalid(
    'Invalid labels',
    'At most 32 labels; keys are name or prefix/name, names and values 1-63 letters, digits, "-", "_" or "." starting and ending alphanumeric (values may be empty), as in Kubernetes.',
  ),
  KUBECTL_PODS_INVALID: invalid(
    'Not a kubectl pod list',
    'Send the output of `kubectl get pods -A -o json` as it is: every item needs a name and a namespace, and its podIP, if any, must be an IP address.',
  ),
  OBSERVED_AT_INVALID: invalid(
    'Not an observation time',
    "Give observedAt as RFC 3339 (2026-11-30T14:03:00Z), no earlier than the plan's last pod import.",
  ),
  NODE_INVALID: invalid(
    'Not a Kubernetes node',
    'Name the node as Kubernetes does (lowercase letters, digits, "-" and ".") and its pool by its agentpool label value.',
  ),
  KUBECTL_NODES_INVALID: invalid(
    'Not a kubectl node list',
    'Send the output of `kubectl get nodes -o json` as it is: every item needs a name, an agentpool label and an InternalIP or pod CIDR.',
  ),
  AZ_CLUSTER_INVALID: invalid(
    'Not az aks show output',
    'Send the output of `az aks show -o json` as it is, with `az network vnet subnet show -o json` for every subnet its pools name.',
  ),
  AZ_SUBNET_MISSING: invalid(
    'Subnet JSON missing',
    'Add the output of `az network vnet subnet show --ids <the id> -o json` to subnets for every vnetSubnetId and podSubnetId the cluster names.',
  ),
  AZ_PLUGIN_UNSUPPORTED: invalid(
    'Network plugin not planned',
    'The planner models kubenet and Azure CNI (node subnet, pod subnet, overlay); a cluster with networkPlugin none (bring your own CNI) cannot be imported.',
  ),
  TOKEN_EXPIRY_INVALID: invalid(
    'Token expiry not in the future',
    'Give expiresAt as an RFC 3339 time after now and before the year 10000, or leave it out for a token that does not expire.',
  ),
  TEAM_LABELS_REQUIRED: invalid(
    'Team labels missing',
    "A token with team labels creates only what carries them: add the token's labels (such as team=payments) to the labels of the plan or space.",
  ),
  SHARED_SPACE_READ_ONLY: {
    kind: 'forbidden',
    title: 'Shared space',
    fix: 'A space without team labels is shared: teams allocate from it, and an admin (or a token without team labels) changes it.',
  },
  ALLOCATION_OF_ANOTHER_TEAM: {
    kind: 'forbidden',
    title: "Another team's block",
    fix: 'In a shared space a team releases only the blocks it took; the team that took it, or an admin, releases it.',
  },
  // Lookups
  LOOKUP_TOO_LARGE: invalid(
    'Lookup could answer too many matches',
    'Addresses x limitPerIp may not pass 200,000: send fewer addresses per request, lower limitPerIp, or stream them as NDJSON.',
  ),
  CSV_HEADER_INVALID: invalid(
    'CSV header without an address column',
    'Start the CSV with a header row that has a column named ip, src, srcIp, dst or dstIp, or name yours with ?column=.',
  ),
  // Not found
  PLAN_NOT_FOUND: {
    kind: 'not-found',
    title: 'No such plan',
    fix: 'Check the plan id or name; GET /v1/plans lists them.',
  },
  SPACE_NOT_FOUND: {
    kind: 'not-found',
    title: 'No such space',
    fix: 'Check the space id or name; GET /v1/spaces lists them.',
  },
  ALLOCATION_NOT_FOUND: {
    kind: 'not-found',
    title: 'No such allocation',
    fix: 'Check the allocation id; GET /v1/spaces/{id}/allocations lists them.',
  },
  REVISION_NOT_FOUND: {
    kind: 'not-found',
    title: 'No such revision',
    fix: 'GET /v1/plans/{id}/revisions lists the revisions a plan has had.',
  },
  TOKEN_NOT_FOUND: {
    kind: 'not-found',
    title: 'No such token',
    fix: 'Check the token id (the part after aksip_ and before the second _); GET /v1/tokens lists unrevoked tokens.',
  },
  // Conflicts with what is stored
  PLAN_NAME_TAKEN: conflict('Plan name taken', 'Choose another name, or replace the existing plan with PUT.'),
  KUBENET_SUBNET_SHARED: conflict(
    'Subnet shared with a kubenet cluster',
    'kubenet allows one cluster per subnet: give this cluster a subnet of its own.',
  ),
  SPACE_NAME_TAKEN: conflict('Space name taken', 'Choose another name.'),
  ALLOCATION_HELD_BY_PLAN: conflict(
    'Allocation held by a plan',
    'The block is released with the plan that took it: delete the plan to free it.',
  ),
  SPACE_IN_USE: conflict(
    'Space still has allocations',
    'Release its allocations (or delete the plans that hold them) first.',
  ),
  SPACE_CIDR_IN_USE: conflict(
    'Space CIDR still holds allocations',
    'A space keeps every CIDR that holds allocations: release them first, or keep the CIDR.',
  ),
  SPACE_EXHAUSTED: conflict(
    'No free block of that size',
    'Ask for a smaller block (the message names the largest free one), release allocations, or add a range to the space.',
  ),
  CIDR_TAKEN: conflict('CIDR already allocated', 'Ask for a free block; the message names the holder.'),
  PLUGIN_CHANGE_REFUSED: conflict(
    'the network plugin cannot change on a running cluster',
    'AKS updates an azure-cni-node-subnet or kubenet cluster to azure-cni-overlay (every pool is reimaged, and there is no way back); any other plugin change needs a new cluster and a migration to it.',
  ),
  POD_IP_ALLOCATION_CHANGE_REFUSED: refused('the pod IP allocation mode'),
  DATAPLANE_CHANGE_REFUSED: conflict(
    'The Cilium dataplane cannot change this way on a running cluster',
    'AKS keeps Cilium once enabled, and turns it on by update only in a cluster without Windows pools: keep the dataplane, remove the Windows pools first, or plan a new cluster with Cilium and migrate to it.',
  ),
  IP_FAMILIES_CHANGE_REFUSED: refused('the IP families'),
  SERVICE_CIDR_CHANGE_REFUSED: refused('the service CIDR'),
  DNS_SERVICE_IP_CHANGE_REFUSED: refused('the DNS service IP'),
  MAX_PODS_CHANGE_REFUSED: refused('maxPods of a pool'),
  OS_TYPE_CHANGE_REFUSED: refused('the OS of a pool'),
  NODE_PUBLIC_IP_CHANGE_REFUSED: conflict(
    "A pool's node public IPs cannot change on a running cluster",
    'A pool gets public IPs on its nodes (or none) when it is created: keep nodePublicIp as the pool has it, or add a new pool with the other setting and move the workloads to it.',
  ),
  GATEWAY_POOL_CHANGE_REFUSED: conflict(
    'A gateway pool cannot change on a running cluster',
    'A pool is a static egress gateway pool, with its prefix size, from its creation: keep its mode and gatewayPrefixSize, or remove the pool and add a new one.',
  ),
  PRIVATE_CLUSTER_CHANGE_REFUSED: conflict(
    'private cluster mode cannot change on this cluster',
    'AKS switches private cluster mode only on clusters with API Server VNet Integration: give the plan an api-server platform subnet (before the switch), or plan a new cluster.',
  ),
  API_SERVER_SUBNET_CHANGE_REFUSED: conflict(
    'API Server VNet Integration cannot be turned off',
    'Once enabled, API Server VNet Integration is permanent and the API server stays in its delegated subnet: keep the api-server platform subnet as it is.',
  ),
  NODE_SUBNET_CHANGE_REFUSED: conflict(
    'Node subnet changed',
    "A subnet's CIDR cannot change once a node pool uses it: keep it, or add a pool on a new subnet and move the workloads.",
  ),
  POD_SUBNET_CHANGE_REFUSED: conflict(
    'Pod subnet changed',
    "A subnet's CIDR cannot change once a node pool uses it: keep it, or add a pool on a new subnet and move the workloads.",
  ),
  POD_CIDR_CHANGE_REFUSED: conflict(
    'Pod CIDR changed',
    'An overlay pod CIDR can only be expanded to a superset that contains it (10.244.0.0/18 -> 10.244.0.0/16); a kubenet pod CIDR cannot change.',
  ),
  RANGE_OUTSIDE_BLOCK: conflict(
    'Range leaves its block',
    'A range the plan took from a space stays inside the block allocated for it, which the space keeps from others: keep it inside, or plan the larger range as a new plan from the space.',
  ),
  // Conditional requests and queries
  REVISION_MISMATCH: {
    kind: 'stale',
    title: 'Stale ETag',
    fix: 'Someone changed it since you read it: read it again (GET), reapply your change and retry with the new ETag.',
  },
  IF_MATCH_REQUIRED: {
    kind: 'precondition-required',
    title: 'If-Match required',
    fix: 'Send If-Match with the ETag of the revision you read (or "*" to replace whatever is current).',
  },
  LABEL_SELECTOR_INVALID: {
    kind: 'bad-query',
    title: 'Invalid label selector',
    fix: 'Write ?label=key=value to match a value, or ?label=key to match presence; repeat label to combine them.',
  },
  CURSOR_INVALID: {
    kind: 'bad-query',
    title: 'Invalid cursor',
    fix: 'Pass the nextCursor of the previous page of the same list as it is, or leave cursor out for the first page.',
  },
} as const satisfies Record<string, ErrorEntry>;
