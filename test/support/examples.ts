/**
 * Values both the domain tests and the HTTP tests expect, written once. They come from the
 * AKS defaults in aks-networking.md, never from the code under test.
 */

export const NODE_SUBNET_PLUGIN = 'azure-cni-node-subnet' as const;

/** The network a node-subnet design that names only its plugin is completed to. */
export const DEFAULT_NETWORK = Object.freeze({
  plugin: NODE_SUBNET_PLUGIN,
  dataplane: 'azure',
  nodeSubnet: '10.224.0.0/16',
  serviceCidr: '10.0.0.0/16',
  dnsServiceIp: '10.0.0.10',
  privateCluster: false,
});

/** The reservations of a design that reserves nothing. */
export const DEFAULT_RESERVATIONS = Object.freeze({ internalLoadBalancers: 0, privateEndpoints: 0 });
