/**
 * `az aks show -o json` and `az network vnet subnet show -o json` as the az CLI prints them
 * (camelCase, ids in full, nulls for what is not set), trimmed of fields the import does not read
 * but keeping some it must ignore. Written from the documented shapes (AKS REST API 2024-09-01).
 */
const SUB =
  '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-prod';

export const subnet = (name: string, addressPrefix: string) => ({
  addressPrefix,
  delegations: [],
  etag: 'W/"8a2f"',
  id: `${SUB}/subnets/${name}`,
  name,
  privateEndpointNetworkPolicies: 'Disabled',
  provisioningState: 'Succeeded',
  resourceGroup: 'rg-net',
  type: 'Microsoft.Network/virtualNetworks/subnets',
});
export const subnetId = (name: string) => `${SUB}/subnets/${name}`;

export const vnet = {
  addressSpace: { addressPrefixes: ['10.240.0.0/14'] },
  id: SUB,
  location: 'westeurope',
  name: 'vnet-prod',
};

const pool = (fields: Record<string, unknown>) => ({
  availabilityZones: ['1', '2', '3'],
  count: 3,
  enableAutoScaling: false,
  enableNodePublicIp: false,
  kubeletDiskType: 'OS',
  maxCount: null,
  maxPods: 30,
  minCount: null,
  mode: 'User',
  nodeLabels: {},
  orchestratorVersion: '1.31.2',
  osDiskSizeGb: 128,
  osSku: 'Ubuntu',
  osType: 'Linux',
  podSubnetId: null,
  powerState: { code: 'Running' },
  provisioningState: 'Succeeded',
  type: 'VirtualMachineScaleSets',
  upgradeSettings: { maxSurge: '10%' },
  vmSize: 'Standard_D4ds_v5',
  vnetSubnetId: null,
  ...fields,
});

const cluster = (name: string, networkProfile: Record<string, unknown>, pools: unknown[], extra = {}) => ({
  agentPoolProfiles: pools,
  apiServerAccessProfile: null,
  dnsPrefix: name,
  fqdn: `${name}-dns-1a2b3c4d.hcp.westeurope.azmk8s.io`,
  id: `/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourcegroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/${name}`,
  kubernetesVersion: '1.31.2',
  location: 'westeurope',
  name,
  networkProfile: {
    dnsServiceIp: '10.0.0.10',
    ipFamilies: ['IPv4'],
    loadBalancerSku: 'standard',
    networkDataplane: 'azure',
    networkMode: null,
    networkPlugin: 'azure',
    networkPluginMode: null,
    networkPolicy: 'none',
    outboundType: 'loadBalancer',
    podCidr: null,
    podCidrs: null,
    serviceCidr: '10.0.0.0/16',
    serviceCidrs: ['10.0.0.0/16'],
    ...networkProfile,
  },
  provisioningState: 'Succeeded',
  resourceGroup: 'rg-aks',
  sku: { name: 'Base', tier: 'Standard' },
  type: 'Microsoft.ContainerService/ManagedClusters',
  ...extra,
});

/** Azure CNI Overlay with Cilium, dual-stack, an autoscaled System pool, a private API server. */
export const overlayCilium = cluster(
  'aks-edge',
  {
    networkPluginMode: 'overlay',
    networkDataplane: 'cilium',
    networkPolicy: 'cilium',
    ipFamilies: ['IPv4', 'IPv6'],
    podCidr: '10.244.0.0/16',
    podCidrs: ['10.244.0.0/16', 'fd12:3456:789a::/64'],
    serviceCidrs: ['10.0.0.0/16', 'fd12:3456:789a:1::/108'],
    loadBalancerProfile: {
      allocatedOutboundPorts: 1024,
      effectiveOutboundIPs: [
        { id: '/subscriptions/x/publicIPAddresses/a' },
        { id: '/subscriptions/x/publicIPAddresses/b' },
      ],
      idleTimeoutInMinutes: 30,
      managedOutboundIPs: { count: 2, countIpv6: 1 },
      outboundIPs: null,
    },
  },
  [
    pool({
      name: 'system',
      mode: 'System',
      count: 3,
      enableAutoScaling: true,
      minCount: 3,
      maxCount: 6,
      maxPods: 250,
      vnetSubnetId: subnetId('aks-nodes'),
    }),
    pool({
      name: 'user',
      count: 2,
      maxPods: 250,
      upgradeSettings: { maxSurge: '33%' },
      vnetSubnetId: subnetId('aks-nodes'),
    }),
  ],
  { apiServerAccessProfile: { enablePrivateCluster: true, privateDnsZone: 'system' } },
);

/**
 * Azure CNI with a pod subnet in static blocks, a second pool on its own subnets, egress through
 * a NAT gateway of one's own (AKS manages one only in the VNet it creates).
 */
export const podSubnetStatic = cluster('aks-blocks', { outboundType: 'userAssignedNATGateway' }, [
  pool({
    name: 'system',
    mode: 'System',
    maxPods: 47,
    podIpAllocationMode: 'StaticBlock',
    vnetSubnetId: subnetId('aks-nodes'),
    podSubnetId: subnetId('aks-pods'),
  }),
  pool({
    name: 'batch',
    count: 4,
    maxPods: 47,
    podIpAllocationMode: 'StaticBlock',
    upgradeSettings: { maxSurge: '1' },
    vnetSubnetId: subnetId('batch-nodes'),
    podSubnetId: subnetId('batch-pods'),
  }),
]);

/** kubenet behind a firewall (user-defined routing). */
export const kubenet = cluster(
  'aks-legacy',
  {
    networkPlugin: 'kubenet',
    outboundType: 'userDefinedRouting',
    podCidr: '10.244.0.0/16',
    podCidrs: ['10.244.0.0/16'],
    serviceCidr: '10.21.0.0/16',
    serviceCidrs: ['10.21.0.0/16'],
    dnsServiceIp: '10.21.0.10',
    networkPolicy: 'calico',
  },
  [pool({ name: 'system', mode: 'System', maxPods: 110, vnetSubnetId: subnetId('legacy-nodes') })],
);

/** Azure CNI node subnet in a VNet AKS manages (no vnetSubnetId), the portal's maxPods 110. */
export const managedVnet = cluster('aks-portal', {}, [
  pool({ name: 'agentpool', mode: 'System', maxPods: 110 }),
]);

/** A static egress gateway pool beside the System pool, with a /30 public IP prefix. */
export const gatewayPool = cluster('aks-egress', {}, [
  pool({ name: 'agentpool', mode: 'System' }),
  pool({ name: 'egw', mode: 'Gateway', count: 2, gatewayProfile: { publicIpPrefixSize: 30 } }),
]);
