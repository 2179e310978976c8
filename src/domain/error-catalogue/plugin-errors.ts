import { type ErrorEntry, invalid } from './entries.js';

/** Refusals by a plugin's rules, and by egress rules. */
export const PLUGIN_ERRORS = {
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
  OUTBOUND_PUBLIC_IPS_TOO_MANY: invalid(
    'More public IPs recorded than the outbound type has',
    'List at most managedOutboundIps addresses in outbound.publicIps.',
  ),
  PUBLIC_IP_INVALID: invalid(
    'Not a public IP, or listed twice',
    'Record each public IP once, and only public addresses (not RFC 1918, 100.64.0.0/10, loopback, link-local or multicast).',
  ),
  FIREWALL_IP_INVALID: invalid(
    "Not a firewall's address",
    "Give the firewall's private IP: a usable host address outside the cluster's subnets, pod and service CIDRs (in AzureFirewallSubnet, its first usable address).",
  ),
  FIELD_NOT_FOR_OUTBOUND_TYPE: invalid(
    'Field not used by the outbound type',
    'Remove the field: allocatedOutboundPorts is for loadBalancer only, userDefinedRouting takes no IPs, and none and block take neither IPs nor a firewall.',
  ),
  OUTBOUND_TYPE_NEEDS_OWN_SUBNET: invalid(
    'Outbound type needs your own subnet',
    'userDefinedRouting needs a route table on the cluster subnet and userAssignedNATGateway a NAT gateway associated with it: both need a subnet of your own VNet. Give network.nodeSubnet (and vnetAddressSpace), or use loadBalancer or managedNATGateway.',
  ),
  MANAGED_NAT_GATEWAY_WITH_CUSTOM_VNET: invalid(
    'Managed NAT gateway with your own VNet',
    'A managed NAT gateway needs the VNet AKS creates: a design naming a subnet or address space of its own uses userAssignedNATGateway.',
  ),
  BLOCK_OUTBOUND_WITH_CUSTOM_VNET: invalid(
    'Outbound type block with your own VNet',
    'AKS blocks egress itself only in the VNet it creates: a design naming a subnet or address space of its own uses outbound type none, with NSG rules that block egress.',
  ),
} as const satisfies Record<string, ErrorEntry>;
