/**
 * Instance-level public IPs (use-node-public-ips): "Each of the nodes in the node pool receives a
 * unique public IP", set when a cluster is created or a pool added.
 */
import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import type { NodePoolInput, PlanInput } from '../../src/domain/design/spec.js';
import { exportDesign } from '../../src/domain/exports/index.js';
import { planFromAz } from '../../src/domain/imports/az-cluster.js';
import { refusedChanges } from '../../src/domain/plan/change-rules.js';
import { planDesign } from '../../src/domain/plan/planner.js';

const gaming = (pools: NodePoolInput[]): PlanInput => ({
  name: 'gaming',
  network: { plugin: 'azure-cni-overlay', vnetAddressSpace: ['10.240.0.0/16'], nodeSubnet: '10.240.0.0/22' },
  nodePools: pools,
});
const pools: NodePoolInput[] = [
  { name: 'system', nodeCount: 3 },
  { name: 'game', mode: 'User', nodeCount: 4, maxCount: 10, maxSurge: 2, nodePublicIp: true },
];

describe('node public IPs', () => {
  it("count one per node at the pool's maximum plus surge, in the total", () => {
    const { publicIps } = planDesign(gaming(pools)).model.capacity();
    // 10 at the maximum + 2 surge; the system pool has none, and the default outbound IP is 1.
    expect(publicIps).toMatchObject({ outbound: 1, nodePublicIps: 12, total: 13 });
    expect(planDesign(gaming([pools[0] as NodePoolInput])).model.capacity().publicIps.nodePublicIps).toBe(0);
  });

  it('are set when a pool is created: a replacement cannot turn them on or off', () => {
    const before = planDesign(gaming(pools)).spec;
    const off = planDesign(
      gaming([pools[0] as NodePoolInput, { ...(pools[1] as NodePoolInput), nodePublicIp: false }]),
    ).spec;
    expect(refusedChanges(before, off).map((p) => [p.code, p.path])).toEqual([
      ['NODE_PUBLIC_IP_CHANGE_REFUSED', 'nodePools[1].nodePublicIp'],
    ]);
    expect(refusedChanges(off, before).map((p) => p.code)).toEqual(['NODE_PUBLIC_IP_CHANGE_REFUSED']);
    // A new pool may have them.
    const added = planDesign(gaming([...pools, { name: 'lobby', nodeCount: 2, nodePublicIp: true }])).spec;
    expect(refusedChanges(before, added)).toEqual([]);
  });

  it('are written by every export, for the pools that have them only', async () => {
    const text = (format: 'az-cli' | 'terraform' | 'bicep') =>
      exportDesign(planDesign(gaming(pools)), format, 'plan "gaming" (revision 1)').text;
    const script = text('az-cli');
    expect(script.match(/--enable-node-public-ip/g)).toHaveLength(1);
    expect(script.split('az aks nodepool add')[1]).toContain('--enable-node-public-ip');
    const hcl = await parse('main.tf', text('terraform'));
    expect(hcl.resource.azurerm_kubernetes_cluster_node_pool.game[0].node_public_ip_enabled).toBe(true);
    expect(hcl.resource.azurerm_kubernetes_cluster.this[0].default_node_pool[0]).not.toHaveProperty(
      'node_public_ip_enabled',
    );
    expect(text('bicep').match(/enableNodePublicIP/g)).toEqual(['enableNodePublicIP']);
    expect(text('bicep')).toContain('enableNodePublicIP: true');
  });

  it('are false by default, written nowhere: false and absent are one spec', () => {
    const spec = planDesign(gaming([{ name: 'system', nodeCount: 3, nodePublicIp: false }])).spec;
    expect(spec.nodePools[0]).not.toHaveProperty('nodePublicIp');
  });

  it('pass by the egress outbound type none holds back, or meet user-defined routes: a warning', () => {
    const warned = (outbound: PlanInput['outbound'], withIps = pools, vnet = true) =>
      planDesign({
        ...gaming(withIps),
        network: vnet
          ? { ...gaming(withIps).network, privateCluster: true }
          : { plugin: 'azure-cni-overlay', privateCluster: true },
        outbound,
      })
        .warnings.filter((w) => w.code === 'NODE_PUBLIC_IP_EGRESS')
        .map((w) => w.message);
    expect(warned({ type: 'none' })).toEqual([
      'the nodes of game have public IPs of their own: they reach the internet on them, past the egress outbound type none holds back',
    ]);
    // The route table wins over the IPs: egress goes to the firewall, and answers too.
    expect(warned({ type: 'userDefinedRouting', firewallPrivateIp: '10.241.0.4' })).toEqual([
      "the nodes of game have public IPs of their own, but the route table sends their traffic to the firewall: it leaves on the firewall's IPs, not theirs, and connections that come in on their IPs are answered through the firewall (asymmetric routing)",
    ]);
    // block's NSG rules stop public traffic on any IP (egress-outboundtype).
    expect(warned({ type: 'block' }, pools, false)).toEqual([]);
    expect(warned({ type: 'loadBalancer' })).toEqual([]);
    expect(warned({ type: 'none' }, [pools[0] as NodePoolInput])).toEqual([]);
    // A Gateway pool's prefix carries the egress of the pods routed through it.
    const gateway: NodePoolInput = { name: 'egress', mode: 'Gateway', nodeCount: 2, gatewayPrefixSize: 31 };
    expect(warned({ type: 'none' }, [...pools, gateway])).toEqual([
      'the nodes of game have public IPs of their own: they reach the internet on them, past the egress outbound type none holds back',
      "pods routed through gateway pool egress leave on its prefix's public IPs, past the egress outbound type none holds back",
    ]);
    expect(
      warned({ type: 'userDefinedRouting', firewallPrivateIp: '10.241.0.4' }, [
        pools[0] as NodePoolInput,
        gateway,
      ]),
    ).toEqual([
      "the route table sends the egress of gateway pool egress to the firewall: pods routed through it leave on the firewall's IPs, not its prefix's",
    ]);
    expect(warned({ type: 'block' }, [pools[0] as NodePoolInput, gateway], false)).toEqual([]);
    expect(warned({ type: 'loadBalancer' }, [pools[0] as NodePoolInput, gateway])).toEqual([]);
  });

  it('are read from az aks show (enableNodePublicIp) and ARM (enableNodePublicIP)', () => {
    const cluster = (key: string) => ({
      networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay' },
      agentPoolProfiles: [
        { name: 'system', count: 3, mode: 'System', [key]: false },
        { name: 'game', count: 4, mode: 'User', [key]: true },
      ],
    });
    for (const key of ['enableNodePublicIp', 'enableNodePublicIP']) {
      const { design } = planFromAz({ name: 'imported', cluster: cluster(key) });
      expect(design.nodePools.map((p) => p.nodePublicIp)).toEqual([undefined, true]);
    }
    // A value of another type, and a prefix whose size is not planned, are warnings.
    const odd = {
      networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay' },
      agentPoolProfiles: [
        { name: 'system', count: 3, mode: 'System', enableNodePublicIp: 'true' },
        {
          name: 'game',
          count: 4,
          mode: 'User',
          enableNodePublicIp: true,
          nodePublicIpPrefixId: '/subscriptions/x/p',
        },
      ],
    };
    const { design, warnings } = planFromAz({ name: 'odd', cluster: odd });
    expect(design.nodePools.map((p) => p.nodePublicIp)).toEqual([undefined, true]);
    expect(warnings.filter((w) => /nodePublicIp|NodePublicIp/.test(w.path))).toEqual([
      {
        path: 'cluster.agentPoolProfiles[0].enableNodePublicIp',
        message: '"true" is not true or false: pool system planned without node public IPs',
      },
      {
        path: 'cluster.agentPoolProfiles[1].nodePublicIpPrefixId',
        message:
          "pool game's node public IPs come from a prefix: its size, which caps the pool, is not planned",
      },
    ]);
  });
});
