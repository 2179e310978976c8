import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NodePoolInput, OutboundInput, PlanInput } from '../../src/domain/design/spec.js';
import { DomainError } from '../../src/domain/errors.js';
import { planDesign } from '../../src/domain/plan/planner.js';

function design(outbound: OutboundInput, nodePools: NodePoolInput[], extra: Partial<PlanInput> = {}) {
  return planDesign({
    name: 'egress',
    network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/16' },
    nodePools,
    outbound,
    ...extra,
  });
}

const pool = (nodeCount: number, maxSurge = 0, maxCount?: number): NodePoolInput => ({
  name: 'system',
  nodeCount,
  maxSurge,
  ...(maxCount === undefined ? {} : { maxCount }),
});

function snatOf(outbound: OutboundInput, nodePools: NodePoolInput[]) {
  const snat = design(outbound, nodePools).model.capacity().snat;
  if (snat === undefined) throw new Error('an outbound section gives a snat entry');
  return snat;
}

function problemsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.problems.map((p) => [p.code, p.path]);
    throw error;
  }
  return [];
}

describe('load balancer SNAT: the documented examples', () => {
  it.each([
    // ports per node, IPs, max nodes (aks-networking.md section 5)
    [1000, 2, 128],
    [1000, 7, 448],
    [4000, 2, 32],
    [4000, 7, 112],
  ])('%i ports x %i IPs -> %i nodes', (ports, ips, maxNodes) => {
    const snat = snatOf({ allocatedOutboundPorts: ports, managedOutboundIps: ips }, [pool(3)]);
    expect(snat).toMatchObject({ portsPerNode: ports, ports: 64_000 * ips, maxNodes });
  });

  it.each([
    // backend pool size -> default ports per node (allocatedOutboundPorts 0)
    [48, 1024],
    [50, 1024],
    [51, 512],
    [52, 512],
    [100, 512],
    [101, 256],
    [400, 128],
    [401, 64],
    [800, 64],
    [801, 32],
  ])('%i nodes at the default allocation get %i ports each', (nodes, ports) => {
    expect(snatOf({}, [pool(nodes)]).portsPerNode).toBe(ports);
  });

  it('counts surge nodes: 4,000 ports x 7 IPs, 100 nodes + 2 surge need 408,000 of 448,000 ports', () => {
    const snat = snatOf({ allocatedOutboundPorts: 4000, managedOutboundIps: 7 }, [pool(100, 2)]);
    expect(snat).toMatchObject({ required: 102, maxNodes: 112, verdict: 'at-risk' });
    expect(snat.explain).toContain('= 408,000 of 448,000 ports');
  });

  it('reports an allocation that cannot fit at creation with the AKS message', () => {
    const snat = snatOf({ allocatedOutboundPorts: 8000 }, [pool(9)]);
    expect(snat.verdict).toBe('exhausted');
    expect(snat.explain).toContain(
      '"Total node count 9 requires 72000 ports but only 64000 ports are available given 1 outbound public IPs"',
    );
  });

  it('recommends more IPs at the requested ports: 100 nodes + 2 surge at 4,000 ports need 8 IPs, not 7', () => {
    // 7 IPs carry 112 nodes: 102 of them is 91%, at risk. 8 IPs carry 128: 102 is 80% less a little.
    const snat = snatOf({ allocatedOutboundPorts: 4000, managedOutboundIps: 7 }, [pool(100, 2)]);
    expect(snat.verdict).toBe('at-risk');
    expect(snat.recommendation).toEqual({
      outboundIps: 8,
      portsPerNode: 4000,
      outbound: {
        type: 'loadBalancer',
        managedOutboundIps: 8,
        allocatedOutboundPorts: 4000,
        idleTimeoutMinutes: 30,
        publicLoadBalancerServices: 0,
      },
    });
  });

  it('recommends the fewest IPs that keep the requested ports below 80%', () => {
    // 40 nodes x 4,000 = 160,000 ports: 3 IPs (192,000) are 83%, 4 IPs (256,000) 62.5%.
    const snat = snatOf({ allocatedOutboundPorts: 4000, managedOutboundIps: 2 }, [pool(40, 0)]);
    expect(snat.verdict).toBe('exhausted');
    expect(snat.recommendation).toMatchObject({ outboundIps: 4, portsPerNode: 4000 });
  });

  it('lowers the ports per node only when 100 IPs are not enough', () => {
    // 900 nodes x 8,000 ports need 7.2M ports; 100 IPs give 6.4M. Below 80% needs 1,126 nodes'
    // worth: 6,400,000 / 1,126 = 5,683.8 -> 5,680 ports per node.
    const snat = snatOf({ allocatedOutboundPorts: 8000, managedOutboundIps: 50 }, [pool(900, 0)]);
    expect(snat.recommendation).toMatchObject({
      outboundIps: 100,
      portsPerNode: 5680,
      outbound: { managedOutboundIps: 100, allocatedOutboundPorts: 5680 },
    });
  });

  it('makes the default table explicit before adding IPs: more IPs give no node more ports at 0', () => {
    // 100 nodes get 512 ports each: 1 IP carries 125 nodes (80%), at risk. Two IPs with the
    // table would still give 512 ports, so 512 is made explicit; then 2 IPs carry 250.
    const snat = snatOf({ managedOutboundIps: 1 }, [pool(100, 0)]);
    expect(snat.verdict).toBe('at-risk');
    expect(snat.recommendation).toEqual({
      outboundIps: 2,
      portsPerNode: 512,
      outbound: {
        type: 'loadBalancer',
        managedOutboundIps: 2,
        allocatedOutboundPorts: 512,
        idleTimeoutMinutes: 30,
        publicLoadBalancerServices: 0,
      },
      note: expect.stringContaining('more outbound IPs give no node more ports'),
    });
    // The same pools with 3 IPs on the table (ok by its arithmetic) get the same recommendation.
    expect(snatOf({ managedOutboundIps: 3 }, [pool(100, 0)]).recommendation).toEqual(snat.recommendation);
  });

  it('says why when 100 IPs need fewer ports than the table gives today', () => {
    // 10 nodes today (1,024 ports each) growing to 5,000: 100 IPs carry 6.4M ports, so below 80%
    // each node gets at most 6,400,000 / 6,251 = 1,023.8 -> 1,016.
    const pools = [pool(10, 0, 1000), ...['b', 'c', 'd', 'e'].map((name) => ({ ...pool(0, 0, 1000), name }))];
    const { recommendation } = snatOf({}, pools);
    expect(recommendation).toMatchObject({
      outboundIps: 100,
      portsPerNode: 1016,
      note: expect.stringContaining('made explicit'),
    });
  });

  it("keeps today's ports explicit when growth crosses a table boundary, as its warning says", () => {
    // 45 nodes get 1,024 ports; at 60 the table gives 512. 60 x 1,024 = 61,440 is 96% of one
    // IP's 64,000: two IPs (128,000, 48%) keep 1,024 ports per node.
    const snat = snatOf({}, [pool(45, 0, 60)]);
    expect(snat.verdict).toBe('ok');
    expect(snat.recommendation).toMatchObject({
      outboundIps: 2,
      portsPerNode: 1024,
      outbound: { managedOutboundIps: 2, allocatedOutboundPorts: 1024 },
    });
    // A design the table serves as it grows is its own recommendation.
    expect(snatOf({}, [pool(40, 0)]).recommendation).toMatchObject({
      outboundIps: 1,
      portsPerNode: 1024,
      outbound: { managedOutboundIps: 1, allocatedOutboundPorts: 0 },
    });
  });

  it('warns when the default table is read past its last row (1,000 nodes)', () => {
    const codes = (outbound: OutboundInput, pools: NodePoolInput[]) =>
      design(
        outbound,
        pools.map((p, k) => ({ ...p, name: `pool${k}` })),
      ).warnings.map((w) => w.code);
    // 600 + 401 nodes: one past the end; the plan goes on with the last row's 32 ports.
    expect(codes({}, [pool(600), pool(400, 0, 401)])).toContain('SNAT_DEFAULT_TABLE_EXCEEDED');
    expect(codes({}, [pool(600), pool(400)])).not.toContain('SNAT_DEFAULT_TABLE_EXCEEDED');
    expect(
      codes({ allocatedOutboundPorts: 32, managedOutboundIps: 2 }, [pool(600), pool(401)]),
    ).not.toContain('SNAT_DEFAULT_TABLE_EXCEEDED');
  });

  it('warns when a scale-out crosses a default-table boundary (48 -> 52 halves the ports)', () => {
    const { warnings } = design({}, [pool(48, 0, 52)]);
    expect(warnings.map((w) => w.code)).toContain('SNAT_DEFAULT_PORTS_DROP');
    expect(design({}, [pool(40, 0, 48)]).warnings.map((w) => w.code)).not.toContain(
      'SNAT_DEFAULT_PORTS_DROP',
    );
  });

  it('warns of the default table without an outbound section too: AKS then creates the load balancer', () => {
    const codes = (nodePools: NodePoolInput[]) =>
      planDesign({ name: 'egress', network: { plugin: 'azure-cni-overlay' }, nodePools }).warnings.map(
        (w) => w.code,
      );
    expect(codes([pool(45, 0, 60)])).toContain('SNAT_DEFAULT_PORTS_DROP');
    expect(codes([pool(40, 0, 48)])).not.toContain('SNAT_DEFAULT_PORTS_DROP');
    expect(codes([pool(600), pool(400, 0, 401)].map((p, k) => ({ ...p, name: `pool${k}` })))).toContain(
      'SNAT_DEFAULT_TABLE_EXCEEDED',
    );
  });
});

describe('SNAT explanations', () => {
  it('say one node and one IP in the singular', () => {
    const lb = snatOf({ allocatedOutboundPorts: 64_000 }, [pool(1)]);
    expect(lb.explain).toBe(
      '64,000 ports per node (allocated) x 1 node (maxima + surge) = 64,000 of 64,000 ports (1 IP x 64,000): room for 1 node',
    );
    const nat = snatOf({ type: 'userAssignedNATGateway' }, [pool(1)]);
    expect(nat.explain).toMatch(
      /^64,512 ports \(1 IP x 64,512\) shared on demand by 1 node \(maxima \+ surge\)/,
    );
    expect(snatOf({ managedOutboundIps: 2, allocatedOutboundPorts: 1024 }, [pool(2)]).explain).toContain(
      'x 2 nodes (maxima + surge) = 2,048 of 128,000 ports (2 IPs x 64,000): room for 125 nodes',
    );
  });
});

describe('NAT gateway SNAT', () => {
  it('shares 64,512 ports per IP on demand and reports the average per node', () => {
    const snat = snatOf({ type: 'userAssignedNATGateway', managedOutboundIps: 2 }, [pool(10, 2)]);
    expect(snat).toMatchObject({
      type: 'userAssignedNATGateway',
      ports: 129_024,
      portsPerNode: Math.floor(129_024 / 12),
      maxNodes: 126,
      required: 12,
      verdict: 'ok',
      recommendation: {
        outboundIps: 1,
        portsPerNode: null,
        outbound: {
          type: 'userAssignedNATGateway',
          managedOutboundIps: 1,
          idleTimeoutMinutes: 4,
          publicLoadBalancerServices: 0,
        },
      },
    });
    expect(snat.explain).toContain('4-minute idle timeout');
  });

  it('recommends the fewest IPs that keep 1,024 ports per node on average below 80%', () => {
    // 63 nodes at 1,024 ports per IP: 200 nodes need 4 IPs (252, 79%); 3 IPs (189) would not do.
    const snat = snatOf({ type: 'userAssignedNATGateway' }, [pool(200)]);
    expect(snat.verdict).toBe('at-risk');
    expect(snat.recommendation.outboundIps).toBe(4);
  });

  it('says so when 16 NAT gateway IPs are not enough', () => {
    const snat = snatOf({ type: 'userAssignedNATGateway' }, [pool(900)]);
    expect(snat.recommendation).toEqual({
      outboundIps: null,
      portsPerNode: null,
      outbound: null,
      note: expect.stringContaining('16 NAT gateway IPs give fewer than 1,024 ports per node'),
    });
  });
});

describe('outbound defaults and validation', () => {
  it('fills each type with its own defaults and records them', () => {
    const lb = design({}, [pool(3)]);
    expect(lb.spec.outbound).toEqual({
      type: 'loadBalancer',
      managedOutboundIps: 1,
      allocatedOutboundPorts: 0,
      idleTimeoutMinutes: 30,
      publicLoadBalancerServices: 0,
    });
    expect(lb.defaultsApplied).toContain('outbound.idleTimeoutMinutes');
    const nat = design({ type: 'userAssignedNATGateway' }, [pool(3)]);
    expect(nat.spec.outbound).toMatchObject({ managedOutboundIps: 1, idleTimeoutMinutes: 4 });
    expect(nat.spec.outbound).not.toHaveProperty('allocatedOutboundPorts');
  });

  it('says nothing about egress without an outbound section', () => {
    const planned = planDesign({ name: 'quiet', nodePools: [pool(3)] });
    expect(planned.spec).not.toHaveProperty('outbound');
    expect(planned.model.capacity()).not.toHaveProperty('snat');
  });

  it.each([
    ['OUTBOUND_IPS_OUT_OF_RANGE', 'outbound.managedOutboundIps', { managedOutboundIps: 101 }],
    ['OUTBOUND_IPS_OUT_OF_RANGE', 'outbound.managedOutboundIps', { managedOutboundIps: 0 }],
    [
      'OUTBOUND_IPS_OUT_OF_RANGE',
      'outbound.managedOutboundIps',
      { type: 'userAssignedNATGateway' as const, managedOutboundIps: 17 },
    ],
    ['OUTBOUND_PORTS_INVALID', 'outbound.allocatedOutboundPorts', { allocatedOutboundPorts: 1001 }],
    ['OUTBOUND_PORTS_INVALID', 'outbound.allocatedOutboundPorts', { allocatedOutboundPorts: 64_008 }],
    ['IDLE_TIMEOUT_OUT_OF_RANGE', 'outbound.idleTimeoutMinutes', { idleTimeoutMinutes: 3 }],
    ['IDLE_TIMEOUT_OUT_OF_RANGE', 'outbound.idleTimeoutMinutes', { idleTimeoutMinutes: 121 }],
    [
      'FIELD_NOT_FOR_OUTBOUND_TYPE',
      'outbound.allocatedOutboundPorts',
      { type: 'userAssignedNATGateway' as const, allocatedOutboundPorts: 1024 },
    ],
    [
      'FIELD_NOT_FOR_OUTBOUND_TYPE',
      'outbound.managedOutboundIps',
      { type: 'userDefinedRouting' as const, managedOutboundIps: 1 },
    ],
  ])('%s at %s', (code, path, outbound) => {
    expect(problemsOf(() => design(outbound, [pool(3)]))).toEqual([[code, path]]);
  });

  it('accepts the edges: 100 IPs, 64,000 ports, 4 and 120 minutes', () => {
    expect(
      problemsOf(() => design({ managedOutboundIps: 100, allocatedOutboundPorts: 64_000 }, [pool(1)])),
    ).toEqual([]);
    expect(problemsOf(() => design({ idleTimeoutMinutes: 4 }, [pool(1)]))).toEqual([]);
    expect(problemsOf(() => design({ idleTimeoutMinutes: 120 }, [pool(1)]))).toEqual([]);
  });

  it('refuses a managed NAT gateway with a VNet of your own', () => {
    const run = () =>
      design({ type: 'managedNATGateway' }, [pool(3)], {
        network: {
          plugin: 'azure-cni-overlay',
          vnetAddressSpace: ['10.240.0.0/16'],
          nodeSubnet: '10.240.0.0/24',
        },
      });
    expect(problemsOf(run)).toEqual([['MANAGED_NAT_GATEWAY_WITH_CUSTOM_VNET', 'outbound.type']]);
  });

  it.each(['userDefinedRouting', 'userAssignedNATGateway'] as const)(
    'refuses %s in the VNet AKS creates (no subnet given), accepts it on a subnet of your own',
    (type) => {
      const managed = { network: { plugin: 'azure-cni-overlay' as const } };
      expect(problemsOf(() => design({ type }, [pool(3)], managed))).toEqual([
        ['OUTBOUND_TYPE_NEEDS_OWN_SUBNET', 'outbound.type'],
      ]);
      expect(problemsOf(() => design({ type }, [pool(3)]))).toEqual([]);
      const poolSubnet = [{ ...pool(3), nodeSubnet: '10.240.0.0/24' }];
      expect(problemsOf(() => design({ type }, poolSubnet, managed))).toEqual([]);
    },
  );

  it.each([
    [
      'a node subnet',
      { network: { plugin: 'azure-cni-overlay' as const, nodeSubnet: '10.240.0.0/24' } },
      [pool(3)],
    ],
    [
      'a pool subnet',
      { network: { plugin: 'azure-cni-overlay' as const } },
      [{ ...pool(3), nodeSubnet: '10.240.0.0/24' }],
    ],
    [
      'a platform subnet',
      {
        network: { plugin: 'azure-cni-overlay' as const },
        platformSubnets: [{ role: 'bastion' as const, cidr: '10.241.0.0/26' }],
      },
      [pool(3)],
    ],
  ])('refuses a managed NAT gateway with %s of your own: AKS creates no VNet then', (_, extra, pools) => {
    expect(problemsOf(() => design({ type: 'managedNATGateway' }, pools, extra))).toEqual([
      ['MANAGED_NAT_GATEWAY_WITH_CUSTOM_VNET', 'outbound.type'],
    ]);
  });

  it('accepts a managed NAT gateway in the VNet AKS creates', () => {
    const managed = { network: { plugin: 'azure-cni-overlay' as const } };
    expect(problemsOf(() => design({ type: 'managedNATGateway' }, [pool(3)], managed))).toEqual([]);
  });

  it('warns of asymmetric routing for public load balancer services behind user-defined routing', () => {
    const codes = design({ type: 'userDefinedRouting', publicLoadBalancerServices: 1 }, [
      pool(3),
    ]).warnings.map((w) => w.code);
    expect(codes).toContain('UDR_ASYMMETRIC_ROUTING');
    const none = design({ type: 'userDefinedRouting' }, [pool(3)]).warnings.map((w) => w.code);
    expect(none).not.toContain('UDR_ASYMMETRIC_ROUTING');
  });
});

describe('network isolated clusters: outbound type none or block', () => {
  const managed = { network: { plugin: 'azure-cni-overlay' as const } };

  it.each(['none', 'block'] as const)('%s: no outbound IP, no SNAT port, no route table', (type) => {
    const network = { plugin: 'azure-cni-overlay' as const, privateCluster: true };
    const planned = design({ type, publicLoadBalancerServices: 2 }, [pool(3, 1)], { network });
    const capacity = planned.model.capacity();
    expect(capacity.publicIps).toMatchObject({
      outbound: 0,
      outboundIpv6: 0,
      loadBalancerServices: 2,
      total: 2,
    });
    expect(capacity.snat).toMatchObject({ type, outboundIps: null, ports: null, required: 4, verdict: 'ok' });
    expect(capacity.snat?.explain).toContain(`(outbound type ${type})`);
    expect(planned.model.vnet()).toMatchObject({ routeTables: [], firewallRules: [] });
    expect(planned.warnings.map((w) => w.code).filter((code) => !code.startsWith('OVERLAY_'))).toEqual([]);
  });

  it('none in a VNet of your own too; block only in the VNet AKS creates', () => {
    expect(problemsOf(() => design({ type: 'none' }, [pool(3)]))).toEqual([]);
    expect(problemsOf(() => design({ type: 'block' }, [pool(3)]))).toEqual([
      ['BLOCK_OUTBOUND_WITH_CUSTOM_VNET', 'outbound.type'],
    ]);
    const poolSubnet = [{ ...pool(3), nodeSubnet: '10.240.0.0/24' }];
    expect(problemsOf(() => design({ type: 'block' }, poolSubnet, managed))).toEqual([
      ['BLOCK_OUTBOUND_WITH_CUSTOM_VNET', 'outbound.type'],
    ]);
  });

  it('takes no outbound IPs, ports or firewall', () => {
    for (const field of [
      { managedOutboundIps: 1 },
      { idleTimeoutMinutes: 4 },
      { firewallPublicIp: '20.10.10.10' },
      // one problem each: not OUTBOUND_PUBLIC_IPS_TOO_MANY beside it, nor FIREWALL_IP_INVALID for
      // a firewall inside the node subnet, whose route table sends nothing to it with these types
      { publicIps: ['20.10.10.11'] },
      { firewallPrivateIp: '10.240.0.10' },
    ]) {
      const [name] = Object.keys(field);
      expect(problemsOf(() => design({ type: 'none', ...field }, [pool(3)]))).toEqual([
        ['FIELD_NOT_FOR_OUTBOUND_TYPE', `outbound.${name}`],
      ]);
    }
  });

  it('warns of an API server the nodes cannot reach privately: neither private nor VNet-integrated', () => {
    const codes = (extra: Partial<PlanInput>) =>
      design({ type: 'none' }, [pool(3)], extra).warnings.map((w) => w.code);
    expect(codes(managed)).toContain('NETWORK_ISOLATED_PUBLIC_API_SERVER');
    // block is for the VNet AKS creates, where no api-server subnet can be: the advice leaves it out.
    const advice = (type: 'none' | 'block') =>
      design({ type }, [pool(3)], managed).warnings.find(
        (w) => w.code === 'NETWORK_ISOLATED_PUBLIC_API_SERVER',
      )?.message;
    expect(advice('none')).toMatch(/private cluster .* or give it an api-server subnet/);
    expect(advice('block')).not.toContain('api-server subnet');
    expect(codes({ network: { plugin: 'azure-cni-overlay', privateCluster: true } })).not.toContain(
      'NETWORK_ISOLATED_PUBLIC_API_SERVER',
    );
    const integrated = {
      network: {
        plugin: 'azure-cni-overlay' as const,
        vnetAddressSpace: ['10.240.0.0/16'],
        nodeSubnet: '10.240.0.0/24',
      },
      platformSubnets: [{ role: 'api-server' as const, cidr: '10.240.1.0/28' }],
    };
    expect(codes(integrated)).not.toContain('NETWORK_ISOLATED_PUBLIC_API_SERVER');
    expect(design({}, [pool(3)], managed).warnings.map((w) => w.code)).not.toContain(
      'NETWORK_ISOLATED_PUBLIC_API_SERVER',
    );
  });

  it('warns that network isolated clusters do not support kubenet or Windows pools', () => {
    const kubenet = design({ type: 'none' }, [pool(3)], { network: { plugin: 'kubenet' } });
    expect(kubenet.warnings.filter((w) => w.code === 'NETWORK_ISOLATED_NOT_SUPPORTED')).toEqual([
      {
        code: 'NETWORK_ISOLATED_NOT_SUPPORTED',
        message:
          'outbound type none makes a network isolated cluster, which AKS documents as not supporting kubenet: AKS may refuse the design',
      },
    ]);
    const windows = design(
      { type: 'block' },
      [pool(3), { name: 'win', osType: 'Windows', nodeCount: 1 }],
      managed,
    );
    expect(windows.warnings.find((w) => w.code === 'NETWORK_ISOLATED_NOT_SUPPORTED')?.message).toContain(
      'not supporting Windows pools (win)',
    );
    const udr = design({ type: 'userDefinedRouting' }, [pool(3)], {
      network: { plugin: 'kubenet', nodeSubnet: '10.240.0.0/24' },
    });
    expect(udr.warnings.map((w) => w.code)).not.toContain('NETWORK_ISOLATED_NOT_SUPPORTED');
  });
});

describe('load balancer SNAT against a reference', () => {
  /** The documented formula, written out independently. */
  function reference(ports: number, ips: number, nodes: number) {
    const table = [
      [50, 1024],
      [100, 512],
      [200, 256],
      [400, 128],
      [800, 64],
    ] as const;
    const perNode = ports > 0 ? ports : (table.find(([max]) => nodes <= max)?.[1] ?? 32);
    const maxNodes = Math.floor((64_000 * ips) / perNode);
    return { perNode, maxNodes, exhausted: nodes > maxNodes };
  }

  it('recommends a design whose own verdict is ok when applied, for random designs', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('loadBalancer', 'userAssignedNATGateway', 'userDefinedRouting'),
        fc.oneof(
          fc.constant(0),
          fc.integer({ min: 1, max: 8000 }).map((n) => n * 8),
        ),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 990 }),
        fc.integer({ min: 0, max: 10 }),
        (type, ports, ips, nodeCount, surge) => {
          const outbound: OutboundInput =
            type === 'loadBalancer'
              ? { type, allocatedOutboundPorts: ports, managedOutboundIps: ips }
              : type === 'userDefinedRouting'
                ? { type }
                : { type, managedOutboundIps: ips };
          const nodePools = [pool(nodeCount, surge)];
          const { recommendation } = snatOf(outbound, nodePools);
          if (recommendation.outbound === null) {
            expect(recommendation.note).toBeDefined();
            return;
          }
          const again = snatOf(recommendation.outbound, nodePools);
          expect(again.verdict).toBe('ok');
          // Applied, it recommends itself: a recommendation is a fixed point.
          expect(again.recommendation.outbound).toEqual(recommendation.outbound);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('ports per node, max nodes and exhaustion match for random designs', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constant(0),
          fc.integer({ min: 1, max: 8000 }).map((n) => n * 8),
        ),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 900 }),
        fc.integer({ min: 0, max: 3 }),
        (ports, ips, nodeCount, surge) => {
          // An upgrade surges at most the nodes it upgrades.
          const nodes = nodeCount + Math.min(surge, nodeCount);
          const expected = reference(ports, ips, nodes);
          const snat = snatOf({ allocatedOutboundPorts: ports, managedOutboundIps: ips }, [
            pool(nodeCount, surge),
          ]);
          expect(snat.portsPerNode).toBe(expected.perNode);
          expect(snat.maxNodes).toBe(expected.maxNodes);
          expect(snat.required).toBe(nodes);
          expect(snat.verdict === 'exhausted').toBe(
            expected.exhausted || nodeCount * expected.perNode > 64_000 * ips,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
