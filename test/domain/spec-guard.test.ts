import { describe, expect, it } from 'vitest';
import type { PlanInput } from '../../src/domain/design/spec.js';
import { asPlanSpec, asStringList } from '../../src/domain/design/spec-guard.js';
import { planDesign } from '../../src/domain/plan/planner.js';

const completed: PlanInput[] = [
  { name: 'overlay', nodePools: [{ name: 'system', nodeCount: 3 }] },
  {
    name: 'node-subnet',
    network: {
      plugin: 'azure-cni-node-subnet',
      nodeSubnet: '10.240.0.0/16',
      vnetAddressSpace: ['10.240.0.0/12'],
    },
    nodePools: [{ name: 'system', nodeCount: 3, minCount: 1, maxCount: 5, maxSurge: '33%' }],
    reservations: { internalLoadBalancers: 2 },
    outbound: { type: 'userAssignedNATGateway' },
  },
  {
    name: 'pod-subnet',
    network: {
      plugin: 'azure-cni-pod-subnet',
      nodeSubnet: '10.240.0.0/24',
      podSubnet: '10.241.0.0/16',
      podIpAllocation: 'static-block',
    },
    nodePools: [{ name: 'system', nodeCount: 3, maxSurge: 2 }],
  },
  {
    name: 'kubenet',
    network: { plugin: 'kubenet', nodeSubnet: '10.240.0.0/24' },
    nodePools: [{ name: 's', nodeCount: 2 }],
  },
  {
    name: 'dual',
    network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/24', ipFamilies: ['ipv4', 'ipv6'] },
    nodePools: [{ name: 'system', nodeCount: 3 }],
  },
];

describe('stored specs are checked when read back', () => {
  it.each(completed.map((input) => [input.name, input] as const))('a completed %s spec fits', (_, input) => {
    const { spec } = planDesign(input);
    expect(asPlanSpec(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
  });

  const spec = () => JSON.parse(JSON.stringify(planDesign(completed[1] as PlanInput).spec));
  it.each([
    ['not an object', () => 'spec', 'spec is not an object'],
    ['a missing network', () => ({ ...spec(), network: undefined }), 'spec.network is not an object'],
    [
      'an unknown plugin',
      () => ({ ...spec(), network: { ...spec().network, plugin: 'calico' } }),
      'spec.network.plugin is not one of',
    ],
    [
      'a pool count as text',
      () => ({ ...spec(), nodePools: [{ ...spec().nodePools[0], nodeCount: '3' }] }),
      'spec.nodePools[0].nodeCount is not an integer',
    ],
    ['a pools object', () => ({ ...spec(), nodePools: {} }), 'spec.nodePools is not a list'],
    [
      'a bad outbound type',
      () => ({ ...spec(), outbound: { type: 'nothing' } }),
      'spec.outbound.type is not one of',
    ],
    [
      'missing reservations',
      () => ({ ...spec(), reservations: undefined }),
      'spec.reservations is not an object',
    ],
  ])('refuses %s, naming the field', (_, damaged, message) => {
    expect(() => asPlanSpec(damaged())).toThrow(`stored plan spec is damaged: ${message}`);
  });

  it('checks lists of strings', () => {
    expect(asStringList(['name'], 'defaultsApplied')).toEqual(['name']);
    expect(() => asStringList([1], 'defaultsApplied')).toThrow('defaultsApplied[0] is not a string');
  });
});
