/**
 * Every code the domain refuses something with: what kind of refusal it is (HTTP turns kinds
 * into statuses in one table), a short title, and what to do about it. The catalogue is closed:
 * DomainError takes only these codes, so a new refusal cannot go undocumented.
 */
export type ErrorKind =
  /** The input breaks a rule: AKS (or the planner) would refuse it as it is. */
  | 'invalid'
  /** What the request names does not exist. */
  | 'not-found'
  /** The request clashes with what is stored: a name, a range, a change AKS cannot make. */
  | 'conflict'
  /** The client's copy is stale: it must read again. */
  | 'stale'
  /** A conditional header is required. */
  | 'precondition-required'
  /** A query parameter cannot be read. */
  | 'bad-query';

export interface ErrorEntry {
  readonly kind: ErrorKind;
  readonly title: string;
  readonly fix: string;
}

const invalid = (title: string, fix: string): ErrorEntry => ({ kind: 'invalid', title, fix });
const conflict = (title: string, fix: string): ErrorEntry => ({ kind: 'conflict', title, fix });
const refused = (what: string): ErrorEntry =>
  conflict(
    `${what} cannot change on a running cluster`,
    `AKS cannot change ${what} of an existing cluster or pool: keep it as it is, or plan a new cluster (or pool) with the new value and migrate to it.`,
  );

export const DOMAIN_ERRORS = {
  // Names and pools
  PLAN_NAME_INVALID: invalid(
    'Invalid cluster name',
    'Use 1-63 letters, digits, "-" and "_", starting and ending with a letter or digit, and not shaped like an id (a UUID).',
  ),
  POOL_NAME_INVALID: invalid(
    'Invalid node pool name',
    'Use lowercase letters and digits starting with a letter: at most 12 characters for a Linux pool, 6 for a Windows pool.',
  ),
  DUPLICATE_POOL_NAME: invalid(
    'Node pool name used twice',
    'Give every node pool of the cluster its own name.',
  ),
  TOO_MANY_NODE_POOLS: invalid('Too many node pools', 'A cluster holds at most 100 node pools.'),
  NO_SYSTEM_POOL: invalid(
    'No System pool with a node',
    'Give the cluster at least one pool with mode System and nodeCount 1 or more.',
  ),
  SYSTEM_POOL_NOT_LINUX: invalid(
    'Windows System pool',
    'System pools run Linux: make this pool a User pool or Linux.',
  ),
  // Node counts and pods
  MAX_COUNT_BELOW_NODE_COUNT: invalid('maxCount below nodeCount', 'Raise maxCount to at least nodeCount.'),
  MIN_COUNT_ABOVE_NODE_COUNT: invalid('minCount above nodeCount', 'Lower minCount to at most nodeCount.'),
  MIN_COUNT_WITHOUT_MAX_COUNT: invalid(
    'minCount without maxCount',
    'minCount configures the autoscaler: give maxCount as well, or leave minCount out.',
  ),
  MAX_PODS_OUT_OF_RANGE: invalid('maxPods out of range', 'Use a maxPods from 10 to 250.'),
  POOL_BELOW_MIN_PODS: invalid(
    'Pool below 30 pods',
    'With maxPods under 30, a pool needs enough nodes for 30 pods: raise nodeCount or maxPods.',
  ),
  POOL_TOO_LARGE: invalid(
    'Pool above 1,000 nodes with surge',
    'A scale set holds at most 1,000 nodes, surge included: lower maxCount or maxSurge, or split the pool.',
  ),
  CLUSTER_TOO_LARGE: invalid(
    'Cluster above 5,000 nodes',
    'The pools together may reach at most 5,000 nodes: lower their maxima or split the cluster.',
  ),
  MAX_SURGE_INVALID: invalid(
    'Invalid maxSurge',
    'Give a whole number of nodes (0 or more) or a percentage string from "0%" to "100%".',
  ),
  // Addresses and ranges
  CIDR_INVALID: invalid(
    'Not a CIDR',
    'Write an address and a prefix length, such as 10.240.0.0/16 or fd12:3456:789a::/64, with no leading zeros.',
  ),
  CIDR_HOST_BITS_SET: invalid(
    'CIDR with host bits set',
    'Use the network address the message suggests (10.240.0.5/24 is 10.240.0.0/24).',
  ),
  IP_INVALID: invalid(
    'Not an IP address',
    'Write a dotted-quad IPv4 address without leading zeros, or an IPv6 address without a zone.',
  ),
  ADDRESS_FAMILY_NOT_SUPPORTED: invalid(
    'Wrong address family',
    'This range must be of the family the message names (IPv4 for node subnets, VNets and single-stack ranges).',
  ),
  SUBNET_TOO_SMALL: invalid('Subnet smaller than /29', 'An Azure subnet is at least a /29.'),
  SUBNET_TOO_LARGE: invalid('Subnet larger than /2', 'An Azure subnet is at most a /2.'),
  VNET_TOO_LARGE: invalid('VNet larger than /8', 'An AKS virtual network spans at most a /8.'),
  VNET_RANGES_OVERLAP: invalid(
    'VNet ranges overlap',
    'Give VNet address ranges that do not overlap each other.',
  ),
  RANGE_FORBIDDEN: invalid(
    'Range AKS reserves',
    'Keep cluster ranges clear of 169.254.0.0/16, 172.30.0.0/16, 172.31.0.0/16 and 192.0.2.0/24.',
  ),
  RANGE_NOT_ALLOWED_IN_VNET: invalid(
    'Range no VNet may hold',
    'Keep VNet ranges clear of 224.0.0.0/4, 255.255.255.255/32, 127.0.0.0/8, 169.254.0.0/16 and 168.63.129.16/32.',
  ),
  SUBNET_OUTSIDE_VNET: invalid(
    'Subnet outside the VNet',
    'Place the subnet inside vnetAddressSpace, or widen the VNet.',
  ),
  SUBNETS_OVERLAP: invalid(
    'Subnets overlap',
    'Give each subnet its own range: Azure subnets of one VNet never overlap.',
  ),
  // Services
  SERVICE_CIDR_TOO_LARGE: invalid(
    'Service CIDR too large',
    'Use a service CIDR of /12 or smaller (IPv4) and /108 or smaller (IPv6).',
  ),
  SERVICE_CIDR_OVERLAPS_NODE_SUBNET: invalid(
    'Service CIDR overlaps a node subnet',
    'AKS refuses a service CIDR that overlaps a subnet of the cluster: pick one outside every subnet (10.0.0.0/16 by default).',
  ),
  SERVICE_CIDR_OVERLAPS_POD_SUBNET: invalid(
    'Service CIDR overlaps a pod subnet',
    'AKS refuses a service CIDR that overlaps a subnet of the cluster: pick one outside every subnet.',
  ),
  DNS_SERVICE_IP_OUT_OF_SERVICE_CIDR: invalid(
    'DNS service IP outside the service CIDR',
    'Pick the DNS service IP inside the service CIDR (10.0.0.10 in 10.0.0.0/16), or leave it out.',
  ),
  DNS_SERVICE_IP_RESERVED: invalid(
    'DNS service IP on a reserved address',
    'The network address, the first host (the kubernetes API service) and the broadcast address are taken: pick another.',
  ),
  DNS_SERVICE_IP_REQUIRED: invalid(
    'DNS service IP required',
    'The service CIDR is too small to derive the default: give dnsServiceIp, or a larger service CIDR.',
  ),
  // Plugins
  FIELD_NOT_FOR_PLUGIN: invalid(
    'Field not used by the plugin',
    'Remove the field, or choose the plugin it belongs to (podSubnet: azure-cni-pod-subnet; podCidr: overlay and kubenet).',
  ),
  DATAPLANE_NOT_SUPPORTED: invalid(
    'Dataplane not available with the plugin',
    'Cilium runs with overlay, pod subnet and node subnet, never with kubenet: use the azure dataplane or another plugin.',
  ),
  WINDOWS_NOT_SUPPORTED: invalid(
    'Windows pool with kubenet',
    'kubenet has no Windows pools: use Azure CNI Overlay.',
  ),
  KUBENET_TOO_MANY_NODES: invalid(
    'kubenet above 400 nodes',
    'A kubenet route table holds 400 routes, surge nodes included: lower the maxima or move to Azure CNI Overlay.',
  ),
  POD_CIDR_TOO_SMALL: invalid(
    'Pod CIDR smaller than a node block',
    'Every node takes a /24 (IPv6: a /80) of the pod CIDR: give a /24 or larger.',
  ),
  POD_CIDR_OVERLAPS_VNET: invalid(
    'Pod CIDR overlaps the VNet',
    'Pick a pod CIDR outside the whole VNet address space.',
  ),
  POD_CIDR_OVERLAPS_NODE_SUBNET: invalid(
    'Pod CIDR overlaps a node subnet',
    'Pick a pod CIDR outside every node subnet.',
  ),
  POD_CIDR_OVERLAPS_SERVICE_CIDR: invalid(
    'Pod CIDR overlaps the service CIDR',
    'Keep the pod and service CIDRs apart.',
  ),
  POD_SUBNET_REQUIRED: invalid(
    'Pod subnet required',
    "Azure CNI with a pod subnet needs one: set network.podSubnet or the pool's podSubnet.",
  ),
  POD_SUBNET_OVERLAPS_NODE_SUBNET: invalid(
    'Pod subnet overlaps a node subnet',
    'Pods need a subnet of their own: give a pod subnet apart from every node subnet.',
  ),
  POD_SUBNET_TOO_LARGE: invalid(
    'Static-block pod subnet larger than /12',
    'Static block allocation supports pod subnets of /12 or smaller.',
  ),
  IPV6_ONLY_NOT_SUPPORTED: invalid(
    'IPv6-only cluster',
    'AKS has no IPv6-only clusters: use ipFamilies ["ipv4", "ipv6"].',
  ),
  IP_FAMILIES_INVALID: invalid('IP family named twice', 'Name each IP family once.'),
  FIELD_NEEDS_DUAL_STACK: invalid(
    'Dual-stack field in a single-stack design',
    'podCidrs and serviceCidrs need ipFamilies ["ipv4", "ipv6"]; single-stack designs use podCidr and serviceCidr.',
  ),
  DUAL_STACK_PAIR_INVALID: invalid(
    'Invalid dual-stack pair',
    'Give exactly one IPv4 CIDR and then one IPv6 CIDR.',
  ),
  DUAL_STACK_PAIR_MISMATCH: invalid(
    'Dual-stack pair disagrees with its single field',
    'The IPv4 entry of the pair must equal the single-stack field (podCidr, serviceCidr): give one or make them equal.',
  ),
  // Egress
  OUTBOUND_IPS_OUT_OF_RANGE: invalid(
    'Outbound IP count out of range',
    'A load balancer takes 1-100 managed outbound IPs, a NAT gateway 1-16.',
  ),
  OUTBOUND_PORTS_INVALID: invalid(
    'Invalid allocatedOutboundPorts',
    'Use 0 (the default table) or a multiple of 8 up to 64,000.',
  ),
  IDLE_TIMEOUT_OUT_OF_RANGE: invalid('Idle timeout out of range', 'Use an idle timeout of 4-120 minutes.'),
  FIELD_NOT_FOR_OUTBOUND_TYPE: invalid(
    'Field not used by the outbound type',
    'Remove the field: allocatedOutboundPorts is for loadBalancer only, and userDefinedRouting takes no IPs.',
  ),
  MANAGED_NAT_GATEWAY_WITH_CUSTOM_VNET: invalid(
    'Managed NAT gateway with your own VNet',
    'A managed NAT gateway needs the VNet AKS creates: with vnetAddressSpace use userAssignedNATGateway.',
  ),
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
  LABELS_INVALID: invalid(
    'Invalid labels',
    'At most 32 labels; keys are name or prefix/name, names and values 1-63 letters, digits, "-", "_" or "." starting and ending alphanumeric (values may be empty), as in Kubernetes.',
  ),
  KUBECTL_NODES_INVALID: invalid(
    'Not a kubectl node list',
    'Send the output of `kubectl get nodes -o json` as it is: every item needs a name, an agentpool label and an InternalIP or pod CIDR.',
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
  // Conflicts with what is stored
  PLAN_NAME_TAKEN: conflict('Plan name taken', 'Choose another name, or replace the existing plan with PUT.'),
  KUBENET_SUBNET_SHARED: conflict(
    'Subnet shared with a kubenet cluster',
    'kubenet allows one cluster per subnet: give this cluster a subnet of its own.',
  ),
  SPACE_NAME_TAKEN: conflict('Space name taken', 'Choose another name.'),
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
  PLUGIN_CHANGE_REFUSED: refused('the network plugin'),
  POD_IP_ALLOCATION_CHANGE_REFUSED: refused('the pod IP allocation mode'),
  DATAPLANE_CHANGE_REFUSED: refused('the Cilium dataplane (once enabled)'),
  IP_FAMILIES_CHANGE_REFUSED: refused('the IP families'),
  SERVICE_CIDR_CHANGE_REFUSED: refused('the service CIDR'),
  DNS_SERVICE_IP_CHANGE_REFUSED: refused('the DNS service IP'),
  MAX_PODS_CHANGE_REFUSED: refused('maxPods of a pool'),
  OS_TYPE_CHANGE_REFUSED: refused('the OS of a pool'),
  NODE_SUBNET_CHANGE_REFUSED: conflict(
    'Node subnet moved or shrunk',
    'A subnet in use can only grow into a superset of itself: keep it, or widen it to a range that contains it.',
  ),
  POD_SUBNET_CHANGE_REFUSED: conflict(
    'Pod subnet moved or shrunk',
    'A subnet in use can only grow into a superset of itself: keep it, or widen it to a range that contains it.',
  ),
  POD_CIDR_CHANGE_REFUSED: conflict(
    'Pod CIDR changed',
    'An overlay pod CIDR can only be expanded to a superset that contains it (10.244.0.0/18 -> 10.244.0.0/16); a kubenet pod CIDR cannot change.',
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
    fix: 'Pass the nextCursor of the previous page as it is, or leave cursor out for the first page.',
  },
} as const satisfies Record<string, ErrorEntry>;

export type DomainErrorCode = keyof typeof DOMAIN_ERRORS;
