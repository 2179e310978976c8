import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlanInput, PlatformSubnetInput } from '../../../src/domain/design/spec.js';
import { DomainError } from '../../../src/domain/errors.js';
import { type PlannedDesign, planDesign } from '../../../src/domain/plan/planner.js';
import { keepPlacedSubnets, planKeepingSubnets } from '../../../src/domain/vnet/kept-placements.js';

const lab = (platformSubnets: PlatformSubnetInput[]): PlanInput => ({
  name: 'lab',
  network: { plugin: 'azure-cni-overlay', vnetAddressSpace: ['10.42.0.0/16'], nodeSubnet: '10.42.1.0/24' },
  nodePools: [{ name: 'system', nodeCount: 3 }],
  platformSubnets,
});
const placed = (input: PlanInput) =>
  planDesign(input).model.plan.platformSubnets.map((s) => `${s.name} ${s.cidr}`);
const kept = (before: PlanInput, after: PlanInput) =>
  keepPlacedSubnets(
    after,
    planDesign(before).model.plan.platformSubnets,
    planDesign(after).model.plan.platformSubnets,
  )?.platformSubnets;

describe('platform subnets placed by the planner, in a replacement', () => {
  const firewall: PlatformSubnetInput = { role: 'azure-firewall' };
  const gateway: PlatformSubnetInput = { role: 'application-gateway', prefixLength: 24 };

  it('stay where they were when a larger subnet added first would take their place', () => {
    expect(placed(lab([firewall]))).toEqual(['AzureFirewallSubnet 10.42.2.0/26']);
    // Placed alone, the larger subnet goes first and pushes the firewall on.
    expect(placed(lab([gateway, firewall]))).toEqual([
      'application-gateway 10.42.2.0/24',
      'AzureFirewallSubnet 10.42.3.0/26',
    ]);
    const keeping = kept(lab([firewall]), lab([gateway, firewall]));
    expect(keeping).toEqual([gateway, { ...firewall, cidr: '10.42.2.0/26', prefixLength: 26 }]);
    expect(placed(lab(keeping ?? []))).toEqual([
      'application-gateway 10.42.3.0/24',
      'AzureFirewallSubnet 10.42.2.0/26',
    ]);
  });

  it('are left as given when nothing moves, or when resized or renamed', () => {
    expect(kept(lab([firewall]), lab([firewall]))).toBeUndefined();
    // A subnet of the same size listed after is placed after: the firewall stays.
    expect(kept(lab([firewall]), lab([firewall, { role: 'bastion' }]))).toBeUndefined();
    // Listed after but larger, it is placed first: the firewall is kept all the same.
    expect(kept(lab([firewall]), lab([firewall, gateway]))?.[0]).toEqual({
      ...firewall,
      cidr: '10.42.2.0/26',
      prefixLength: 26,
    });
    const bastion = (name: string, prefixLength: number): PlatformSubnetInput => ({
      role: 'other',
      name,
      prefixLength,
    });
    // Resized or renamed: another Azure subnet, placed anew.
    expect(kept(lab([bastion('tools', 27)]), lab([gateway, bastion('tools', 26)]))).toBeUndefined();
    expect(kept(lab([bastion('tools', 27)]), lab([gateway, bastion('tools2', 27)]))).toBeUndefined();
    // Given a CIDR before (as a kept subnet is), and sent back by its size: it stays all the same.
    expect(kept(lab([{ ...firewall, cidr: '10.42.2.0/26' }]), lab([gateway, firewall]))).toEqual([
      gateway,
      { ...firewall, cidr: '10.42.2.0/26', prefixLength: 26 },
    ]);
    // Azure knows a subnet by its name, without case: another role or case is the same subnet.
    const shared = (role: 'other' | 'private-endpoints', name: string): PlatformSubnetInput => ({
      role,
      name,
      prefixLength: 26,
    });
    expect(
      kept(lab([shared('other', 'shared')]), lab([gateway, shared('private-endpoints', 'Shared')])),
    ).toEqual([gateway, { ...shared('private-endpoints', 'Shared'), cidr: '10.42.2.0/26' }]);
  });
});

describe('a replacement of a design with platform subnets placed by size (property)', () => {
  const replace = (input: PlanInput, stored: PlannedDesign) =>
    planKeepingSubnets(input, stored.model.plan.platformSubnets, (design) => planDesign(design, stored.spec));
  const sized = (name: string, prefixLength: number): PlatformSubnetInput => ({
    role: 'other',
    name,
    prefixLength,
  });
  const sites = (design: PlannedDesign) =>
    new Map(design.model.plan.platformSubnets.map((s) => [s.name, `${s.cidr}`]));
  const before = fc.array(fc.integer({ min: 24, max: 28 }), { minLength: 1, maxLength: 5 });
  const added = fc.array(fc.tuple(fc.integer({ min: 22, max: 28 }), fc.nat(5)), { maxLength: 4 });
  const kept = fc.array(fc.boolean(), { minLength: 5, maxLength: 5 });

  it('keeps every subnet it had where it was, and the same replacement sent again changes nothing', () => {
    fc.assert(
      fc.property(before, added, kept, (sizes, additions, keeps) => {
        const stored = planDesign(lab(sizes.map((size, i) => sized(`s${i}`, size))));
        const next = sizes.flatMap((size, i) => (keeps[i] === false ? [] : [sized(`s${i}`, size)]));
        for (const [k, [size, at]] of additions.entries())
          next.splice(at % (next.length + 1), 0, sized(`n${k}`, size));
        let replaced: PlannedDesign;
        try {
          replaced = replace(lab(next), stored);
        } catch (error) {
          if (error instanceof DomainError) return; // a VNet without room for a given design
          throw error;
        }
        const had = sites(stored);
        for (const [name, site] of sites(replaced)) {
          if (had.has(name) && had.get(name) !== 'null') expect(site).toBe(had.get(name));
        }
        expect(replace(lab(next), replaced).spec).toEqual(replaced.spec);
      }),
      { numRuns: 200 },
    );
  });
});
