import { describe, expect, it } from 'vitest';
import type { PlanInput } from '../../../src/domain/design/spec.js';
import { azPathOf } from '../../../src/domain/imports/az-paths.js';

const design = {
  name: 'c',
  network: {},
  nodePools: [
    { name: 'user', nodeCount: 1 },
    { name: 'system', nodeCount: 1, mode: 'System' },
  ],
} as unknown as PlanInput;

describe('a path of the plan built from az JSON, in the az JSON', () => {
  it.each([
    ['name', 'cluster.name'],
    ['nodePools[1].nodeCount', 'cluster.agentPoolProfiles[1].count'],
    ['nodePools[0].maxSurge', 'cluster.agentPoolProfiles[0].upgradeSettings.maxSurge'],
    ['nodePools[0]', 'cluster.agentPoolProfiles[0]'],
    ['network.podCidrs[1]', 'cluster.networkProfile.podCidrs[1]'],
    ['network.dnsServiceIp', 'cluster.networkProfile.dnsServiceIp'],
    ['network.nodeSubnet', 'cluster.agentPoolProfiles[1].vnetSubnetId'],
    ['network.vnetAddressSpace[0]', 'vnet.addressSpace.addressPrefixes[0]'],
    ['outbound.managedOutboundIps', 'cluster.networkProfile.outboundType'],
    ['nodePools', 'cluster.agentPoolProfiles'],
    ['reservations', 'reservations'],
  ])('%s is %s', (path, az) => {
    expect(azPathOf(path, design, false)).toBe(az);
  });

  it.each([
    ['loadBalancer', 'outbound.managedOutboundIps', 'loadBalancerProfile.managedOutboundIPs.count'],
    ['loadBalancer', 'outbound.allocatedOutboundPorts', 'loadBalancerProfile.allocatedOutboundPorts'],
    ['loadBalancer', 'outbound.idleTimeoutMinutes', 'loadBalancerProfile.idleTimeoutInMinutes'],
    ['managedNATGateway', 'outbound.managedOutboundIps', 'natGatewayProfile.managedOutboundIPProfile.count'],
    ['managedNATGateway', 'outbound.idleTimeoutMinutes', 'natGatewayProfile.idleTimeoutInMinutes'],
    ['userDefinedRouting', 'outbound.firewallPrivateIp', 'outboundType'],
  ])('with a %s, %s is in the profile az printed: %s', (type, path, az) => {
    expect(azPathOf(path, { ...design, outbound: { type } } as PlanInput, false)).toBe(
      `cluster.networkProfile.${az}`,
    );
  });

  it('keeps name when the caller gave the name beside the cluster', () => {
    expect(azPathOf('name', design, true)).toBe('name');
  });
});
