import { describe, expect, it } from 'vitest';
import { Cidr } from '../../src/domain/ip/index.js';
import type { PlanRange } from '../../src/domain/layout/layout-types.js';
import { sharedSubnetRefusal } from '../../src/domain/plan/shared-subnets.js';

const subnet = (cidr: string, exclusive: boolean, path = 'network.nodeSubnet'): PlanRange => ({
  kind: 'node-subnet',
  cidr: Cidr.parse(cidr),
  exclusive,
  path,
});
const held = (cidr: string, exclusive: boolean, visible = true) => ({
  planId: 'id-1',
  planName: 'other',
  cidr: Cidr.parse(cidr),
  exclusive,
  visible,
});

describe('sharedSubnetRefusal: one kubenet cluster per subnet', () => {
  it.each([
    [true, false, true], // kubenet onto an Azure CNI subnet
    [false, true, true], // Azure CNI onto a kubenet subnet
    [true, true, true], // kubenet onto kubenet
    [false, false, false], // Azure CNI clusters may share
  ])('own exclusive %s, other exclusive %s: refused %s', (own, other, refused) => {
    const refusal = sharedSubnetRefusal([subnet('10.0.0.0/24', own)], [held('10.0.0.0/25', other)]);
    expect(refusal !== undefined).toBe(refused);
  });

  it('ignores held subnets that do not overlap, and ranges that are not node subnets', () => {
    const pods: PlanRange = { kind: 'pod-cidr', cidr: Cidr.parse('10.244.0.0/16'), exclusive: true };
    expect(sharedSubnetRefusal([subnet('10.0.0.0/24', true), pods], [held('10.0.1.0/24', true)])).toBe(
      undefined,
    );
    expect(sharedSubnetRefusal([pods], [held('10.244.0.0/24', true)])).toBe(undefined);
  });

  it('reports every clash at the path that names the subnet', () => {
    const refusal = sharedSubnetRefusal(
      [subnet('10.0.0.0/24', true), subnet('10.0.1.0/24', true, 'nodePools[1].nodeSubnet')],
      [held('10.0.0.0/16', false)],
    );
    expect(refusal?.code).toBe('KUBENET_SUBNET_SHARED');
    expect(refusal?.problems.map((p) => p.path)).toEqual(['network.nodeSubnet', 'nodePools[1].nodeSubnet']);
    expect(refusal?.message).toBe(
      'kubenet allows one cluster per subnet: 10.0.0.0/24 overlaps 10.0.0.0/16 of plan "other" (id id-1)',
    );
  });

  it("names neither the plan nor its subnet when the writer's team may not see it", () => {
    const refusal = sharedSubnetRefusal([subnet('10.0.0.0/16', true)], [held('10.0.5.0/24', true, false)]);
    expect(refusal?.message).toBe(
      "kubenet allows one cluster per subnet: 10.0.0.0/16 overlaps a node subnet of another team's plan",
    );
    expect(refusal?.problems[0]?.message).toBe("10.0.0.0/16 is used by another team's plan");
    expect(JSON.stringify(refusal?.problems)).not.toMatch(/other"|id-1|10\.0\.5/);
  });
});
