/** Realistic designs for the OpenAPI examples: one per plugin, and one that takes its subnet from a space. */
/** The system pool of the examples, with overrides. */
export const system = (nodes: Record<string, unknown> = {}) => ({ name: 'system', nodeCount: 3, ...nodes });

/** One realistic design per plugin, named as a fresh database accepts them. */
export const PLAN_EXAMPLES: readonly { name: string; summary: string; design: Record<string, unknown> }[] = [
  {
    name: 'node-subnet',
    summary: 'Azure CNI node subnet: pods pre-allocated in the node subnet (the documented example)',
    design: {
      name: 'prod-weu-1',
      network: {
        plugin: 'azure-cni-node-subnet',
        vnetAddressSpace: ['10.240.0.0/16'],
        nodeSubnet: '10.240.0.0/24',
        serviceCidr: '10.0.0.0/16',
        dnsServiceIp: '10.0.0.10',
      },
      nodePools: [system({ maxCount: 5, maxPods: 30, maxSurge: 1 })],
      reservations: { internalLoadBalancers: 2, privateEndpoints: 1 },
    },
  },
  {
    name: 'overlay',
    summary: 'Azure CNI Overlay with Cilium: one /24 of a private pod CIDR per node',
    design: {
      name: 'overlay-cilium',
      network: {
        plugin: 'azure-cni-overlay',
        dataplane: 'cilium',
        nodeSubnet: '10.240.4.0/22',
        podCidr: '10.244.0.0/16',
      },
      nodePools: [system({ maxPods: 250 }), { name: 'apps', nodeCount: 10, maxCount: 50, maxSurge: '33%' }],
    },
  },
  {
    name: 'dual-stack',
    summary: 'Dual-stack overlay: a /24 and a /80 per node',
    design: {
      name: 'dual-stack',
      network: { plugin: 'azure-cni-overlay', ipFamilies: ['ipv4', 'ipv6'], nodeSubnet: '10.240.8.0/24' },
      nodePools: [system()],
    },
  },
  {
    name: 'pod-subnet-dynamic',
    summary: 'Azure CNI pod subnet, dynamic: batches of 16 pod IPs handed out at run time',
    design: {
      name: 'pod-subnet-dynamic',
      network: {
        plugin: 'azure-cni-pod-subnet',
        vnetAddressSpace: ['10.240.0.0/12'],
        nodeSubnet: '10.240.9.0/24',
        podSubnet: '10.241.0.0/20',
      },
      nodePools: [system({ maxCount: 10, maxPods: 50 })],
    },
  },
  {
    name: 'pod-subnet-static',
    summary: 'Azure CNI pod subnet, static blocks: /28s per node (maxPods 16N-1 wastes nothing)',
    design: {
      name: 'pod-subnet-static',
      network: {
        plugin: 'azure-cni-pod-subnet',
        podIpAllocation: 'static-block',
        vnetAddressSpace: ['10.240.0.0/12'],
        nodeSubnet: '10.240.10.0/24',
        podSubnet: '10.241.16.0/20',
      },
      nodePools: [system({ maxCount: 10, maxPods: 31 })],
    },
  },
  {
    name: 'kubenet',
    summary: 'kubenet (retires 2028): one /24 per node, one cluster per subnet',
    design: {
      name: 'legacy-kubenet',
      network: { plugin: 'kubenet', nodeSubnet: '10.240.11.0/24', podCidr: '10.244.0.0/16' },
      nodePools: [system({ maxPods: 110 })],
    },
  },
  {
    name: 'egress',
    summary: 'Overlay behind a load balancer: will the SNAT ports last?',
    design: {
      name: 'egress-lb',
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.12.0/22' },
      nodePools: [system({ nodeCount: 100, maxSurge: 2 })],
      outbound: { type: 'loadBalancer', managedOutboundIps: 7, allocatedOutboundPorts: 4000 },
    },
  },
  {
    name: 'vnet-firewall',
    summary:
      'The whole VNet: egress through Azure Firewall (userDefinedRouting), Bastion and a gateway placed by the planner',
    design: {
      name: 'udr-lab',
      network: {
        plugin: 'azure-cni-overlay',
        vnetAddressSpace: ['10.42.0.0/16'],
        nodeSubnet: '10.42.1.0/24',
      },
      nodePools: [system()],
      platformSubnets: [
        { role: 'azure-firewall', cidr: '10.42.2.0/26' },
        { role: 'bastion' },
        { role: 'gateway' },
      ],
      outbound: {
        type: 'userDefinedRouting',
        publicLoadBalancerServices: 1,
        firewallPublicIp: '20.10.10.10',
      },
    },
  },
  {
    name: 'from-space',
    summary: 'A node subnet from the space corp-vnets (create it with POST /v1/spaces first), 20% headroom',
    design: {
      name: 'from-space',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: { fromSpace: 'corp-vnets' } },
      nodePools: [system({ nodeCount: 50, maxPods: 30, maxSurge: 1 })],
    },
  },
];
