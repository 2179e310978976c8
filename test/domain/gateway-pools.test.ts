/**
 * Static egress gateway pools, as configure-static-egress-gateway documents them: "The allowed
 * range is 28-31"; "a /30 prefix supports up to 4 nodes, and at least 2 nodes are required for
 * high availability"; no autoscaling; Linux only; not with Azure CNI Pod Subnet.
 */
import { describe, expect, it } from 'vitest';
import type { NodePoolInput } from '../../src/domain/design/spec.js';
import { exportDesign } from '../../src/domain/exports/index.js';
import { refusedChanges } from '../../src/domain/plan/change-rules.js';
import { metricDifferences, summarize } from '../../src/domain/plan/comparison.js';
import { planDesign } from '../../src/domain/plan/planner.js';
import { expectOnlyProblem, problemKeys } from './helpers.js';
import { overlayDesign, planOf, podSubnetDesign, warningCodes } from './plugins/helpers.js';

const system: NodePoolInput = { name: 'system', nodeCount: 3 };
const gateway = (pool: Partial<NodePoolInput> = {}): NodePoolInput => ({
  name: 'egw',
  mode: 'Gateway',
  nodeCount: 2,
  ...pool,
});
const withGateway = (pool: Partial<NodePoolInput> = {}) =>
  overlayDesign({ nodePools: [system, gateway(pool)] });

describe('a Gateway pool', () => {
  it('takes one address of its public IP prefix per node: /28 16, /29 8, /30 4, /31 2 (the default)', () => {
    for (const [prefix, holds] of [
      [28, 16],
      [29, 8],
      [30, 4],
      [31, 2],
    ] as const) {
      expect(
        planOf(withGateway({ gatewayPrefixSize: prefix, nodeCount: holds })).spec.nodePools[1],
      ).toMatchObject({
        mode: 'Gateway',
        gatewayPrefixSize: prefix,
      });
      const error = expectOnlyProblem(
        withGateway({ gatewayPrefixSize: prefix, nodeCount: holds + 1 }),
        'GATEWAY_PREFIX_TOO_SMALL',
        'nodePools[1].nodeCount',
      );
      expect(error.problems[0]?.message).toBe(
        `Gateway pool "egw" has ${holds + 1} nodes, but a /${prefix} public IP prefix holds ${holds} nodes (one address each)`,
      );
    }
  });

  it('gets the API default /31 when no prefix is given, echoed as a default', () => {
    const planned = planOf(withGateway());
    expect(planned.spec.nodePools[1]?.gatewayPrefixSize).toBe(31);
    expect(planned.defaultsApplied).toContain('nodePools[1].gatewayPrefixSize');
    expect(planned.defaultsApplied).not.toContain('nodePools[0].gatewayPrefixSize');
    expectOnlyProblem(withGateway({ nodeCount: 3 }), 'GATEWAY_PREFIX_TOO_SMALL', 'nodePools[1].nodeCount');
  });

  it('refuses a prefix outside 28-31, and a prefix on a pool that is no Gateway pool', () => {
    for (const prefix of [27, 32, 24])
      expectOnlyProblem(
        withGateway({ gatewayPrefixSize: prefix }),
        'GATEWAY_PREFIX_SIZE_INVALID',
        'nodePools[1].gatewayPrefixSize',
      );
    expectOnlyProblem(
      overlayDesign({ nodePools: [system, { name: 'user', nodeCount: 2, gatewayPrefixSize: 30 }] }),
      'GATEWAY_PREFIX_SIZE_INVALID',
      'nodePools[1].gatewayPrefixSize',
    );
  });

  it('has no autoscaler, runs Linux, and is not for a cluster with a pod subnet', () => {
    expect(problemKeys(withGateway({ minCount: 2, maxCount: 2 }))).toEqual([
      { code: 'GATEWAY_POOL_INVALID', path: 'nodePools[1].minCount' },
      { code: 'GATEWAY_POOL_INVALID', path: 'nodePools[1].maxCount' },
    ]);
    expect(problemKeys(withGateway({ name: 'gw', osType: 'Windows' }))).toEqual([
      { code: 'GATEWAY_POOL_INVALID', path: 'nodePools[1].osType' },
    ]);
    expectOnlyProblem(
      podSubnetDesign({ nodePools: [system, gateway()] }),
      'GATEWAY_POOL_NOT_SUPPORTED',
      'nodePools[1].mode',
    );
  });

  it('is for IPv4-only clusters: refused in a dual-stack one', () => {
    expectOnlyProblem(
      overlayDesign({ network: { ipFamilies: ['ipv4', 'ipv6'] }, nodePools: [system, gateway()] }),
      'GATEWAY_POOL_NOT_SUPPORTED',
      'nodePools[1].mode',
    );
  });

  it('grows by hand within its prefix: max reach stops there', () => {
    const reach = planOf(withGateway({ gatewayPrefixSize: 29 })).model.capacity().maxReach[1];
    expect(reach).toEqual({
      pool: 'egw',
      currentMaxCount: 2,
      maxCount: 8,
      limitedBy: { kind: 'gateway-prefix' },
    });
  });

  it('stays what it was created as: mode and prefix cannot change, an omitted prefix is kept', () => {
    const stored = planOf(withGateway({ gatewayPrefixSize: 30 }));
    const replaced = (pool: Partial<NodePoolInput>) =>
      refusedChanges(stored.spec, planDesign(withGateway(pool), stored.spec).spec).map((r) => [
        r.code,
        r.path,
      ]);
    expect(replaced({ gatewayPrefixSize: 29 })).toEqual([
      ['GATEWAY_POOL_CHANGE_REFUSED', 'nodePools[1].gatewayPrefixSize'],
    ]);
    expect(replaced({ mode: 'User', gatewayPrefixSize: undefined })).toEqual([
      ['GATEWAY_POOL_CHANGE_REFUSED', 'nodePools[1].mode'],
    ]);
    expect(replaced({ nodeCount: 4 })).toEqual([]);
    expect(planDesign(withGateway(), stored.spec).spec.nodePools[1]?.gatewayPrefixSize).toBe(30);
    // Its mode left out too, it stays the gateway pool it is, with its prefix.
    const modeLeftOut = planDesign(withGateway({ mode: undefined, nodeCount: 4 }), stored.spec);
    expect(modeLeftOut.spec.nodePools[1]).toMatchObject({
      mode: 'Gateway',
      gatewayPrefixSize: 30,
      nodeCount: 4,
    });
    expect(modeLeftOut.defaultsApplied).toEqual(
      expect.arrayContaining(['nodePools[1].mode', 'nodePools[1].gatewayPrefixSize']),
    );
    const user = planOf(overlayDesign({ nodePools: [system, { name: 'egw', nodeCount: 2 }] }));
    expect(
      refusedChanges(user.spec, planDesign(withGateway(), user.spec).spec).map((r) => [r.code, r.path]),
    ).toEqual([['GATEWAY_POOL_CHANGE_REFUSED', 'nodePools[1].mode']]);
  });

  it('is no System pool: a cluster of Gateway pools alone is refused', () => {
    expectOnlyProblem(overlayDesign({ nodePools: [gateway()] }), 'NO_SYSTEM_POOL', 'nodePools');
  });

  it('listed first, leaves the next pool without a mode a User pool, and the refusal says why', () => {
    const refusal = (second: NodePoolInput) =>
      expectOnlyProblem(overlayDesign({ nodePools: [gateway(), second] }), 'NO_SYSTEM_POOL', 'nodePools')
        .problems[0]?.message;
    expect(refusal({ name: 'system', nodeCount: 3 })).toBe(
      'a cluster needs at least one System pool with at least one node: no pool has mode System, and only the first pool takes it when it gives no mode (nodePools[0] is a Gateway pool)',
    );
    // A System pool with no node: its count is at fault, not the order.
    expect(refusal({ name: 'system', mode: 'System', nodeCount: 0 })).toBe(
      'a cluster needs at least one System pool with at least one node',
    );
  });

  it('below 30 pods, is told the maxPods its nodes need, since its prefix bounds its nodes', () => {
    const refused = expectOnlyProblem(
      withGateway({ maxPods: 10 }),
      'POOL_BELOW_MIN_PODS',
      'nodePools[1].maxPods',
    );
    expect(refused.problems[0]?.message).toBe(
      '2 nodes x 10 pods = 20: a pool needs room for at least 30 pods, so maxPods 10 needs at least 3 nodes, and 2 nodes need maxPods 15',
    );
  });

  it('is warned of below 2 nodes, the fewest for high availability', () => {
    expect(warningCodes(planOf(withGateway({ nodeCount: 1 })))).toContain('GATEWAY_POOL_SINGLE_NODE');
    expect(warningCodes(planOf(withGateway({ nodeCount: 2 })))).not.toContain('GATEWAY_POOL_SINGLE_NODE');
  });

  it("counts its whole prefix among the design's public IPs, and its nodes in the node subnet", () => {
    const planned = planOf(withGateway({ gatewayPrefixSize: 29, nodeCount: 3 }));
    // The default outbound IP, and a /29 allocated whole whatever the node count.
    expect(planned.model.capacity().publicIps).toMatchObject({ outbound: 1, egressGateway: 8, total: 9 });
    const subnet = planned.model.capacity().ranges.find((r) => r.kind === 'node-subnet');
    // 3 + 3 nodes, and a surge node each (10%, rounded up): 8 addresses of the overlay node subnet.
    expect(subnet?.required.duringUpgrade).toBe(8n);
  });

  it('shows its prefix in a comparison: the public IPs differ', () => {
    const differences = metricDifferences(
      summarize(planOf(withGateway({ gatewayPrefixSize: 30 }))),
      summarize(planOf(withGateway({ gatewayPrefixSize: 28 }))),
    );
    // The default outbound IP and the prefix: 1 + 4, then 1 + 16.
    expect(differences).toContainEqual({ metric: 'publicIps', base: 5, variant: 17 });
  });

  it('is added by the az CLI export with its prefix, and left out with a note where the API has none', () => {
    const planned = planOf(withGateway({ gatewayPrefixSize: 30 }));
    const az = exportDesign(planned, 'az-cli', 'a test').text;
    expect(az).toContain('--enable-static-egress-gateway');
    expect(az).toContain(
      ["--name 'egw'", "--mode 'Gateway'", "--os-type 'Linux'", "--gateway-prefix-size '30'"].join(' \\\n  '),
    );
    for (const format of ['bicep', 'terraform'] as const) {
      const text = exportDesign(planned, format, 'a test').text;
      expect(text).toContain('Static egress gateway pools are not in');
      expect(text).toContain('egw (2 nodes, /30 prefix, in subnet plugin-test-nodes: --vnet-subnet-id)');
      expect(text).not.toMatch(/name[ =:]+'?"?egw/);
    }
  });
});
