/**
 * The map of a design's address space. Segments are checked against the api.md example worked
 * by hand: 10.240.0.0/24, maxPods 30 (31 addresses a node), 3 nodes now, max 5, surge 10% of 5
 * = 1, 2 internal load balancers and 1 private endpoint after the current nodes.
 */
import { describe, expect, it } from 'vitest';
import { bandSteps, bandsOf } from '../../../src/domain/map/segments.js';
import { svgMap, svgMapSteps } from '../../../src/domain/map/svg-map.js';
import { loadDesign, planDesign } from '../../../src/domain/plan/planner.js';
import { svgMapInSlices } from '../../../src/service/map-slices.js';
import { turnsDuring } from '../../support/event-loop-turns.js';

const example = planDesign({
  name: 'prod-weu-1',
  network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/24' },
  nodePools: [{ name: 'system', nodeCount: 3, minCount: 3, maxCount: 5, maxPods: 30 }],
  reservations: { internalLoadBalancers: 2, privateEndpoints: 1 },
});

const rects = (svg: string, cls: string) =>
  svg.match(new RegExp(`<rect class="segment ${cls}"`, 'g'))?.length ?? 0;

describe('the map', () => {
  it('stays well-formed XML with any stored name: control characters XML cannot hold are shown as U+FFFD', () => {
    // Names are checked when a plan is written; a restored dump's are not checked again.
    const stored = loadDesign({ ...example.spec, name: 'a\u0001<b>&"c\u001f' }, []);
    const svg = svgMap(stored);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 cannot hold
    expect(svg).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(svg).toContain('a\ufffd&#60;b&#62;&#38;&#34;c\ufffd');
  });

  it('lays the node subnet out as the plan does, stretch by stretch', () => {
    const [node, service] = bandsOf(example);
    expect(node?.segments.map((s) => [Number(s.from), Number(s.to), s.cls])).toEqual([
      [0, 4, 'reserved'],
      [4, 35, 'current'],
      [35, 66, 'current'],
      [66, 97, 'current'],
      [97, 100, 'reservation'],
      [100, 131, 'growth'],
      [131, 162, 'growth'],
      [162, 193, 'surge'],
      [193, 255, 'free'],
      [255, 256, 'reserved'],
    ]);
    expect(node?.segments[1]?.title).toBe(
      'system node 0 (current): node 10.240.0.4, pods 10.240.0.5-10.240.0.34',
    );
    expect(node?.segments[4]?.title).toBe(
      'reserved for load balancer frontends and private endpoints: 10.240.0.97-10.240.0.99',
    );
    expect(service?.segments.filter((s) => s.cls === 'service').map((s) => s.title)).toEqual([
      'kubernetes-api-service: 10.0.0.1',
      'dns-service: 10.0.0.10',
    ]);
  });

  it('names what a run of reservations holds: frontends, endpoints, or both', () => {
    const titled = (reservations: { internalLoadBalancers: number; privateEndpoints: number }) =>
      bandsOf(planDesign({ ...example.spec, reservations }))[0]?.segments.find((s) => s.cls === 'reservation')
        ?.title;
    expect(titled({ internalLoadBalancers: 2, privateEndpoints: 0 })).toBe(
      'reserved for load balancer frontends: 10.240.0.97-10.240.0.98',
    );
    expect(titled({ internalLoadBalancers: 0, privateEndpoints: 1 })).toBe(
      'reserved for private endpoints: 10.240.0.97-10.240.0.97',
    );
  });

  it('marks the service addresses wherever they are, and those never assigned', () => {
    const dns53 = planDesign({
      name: 'dns53',
      network: { plugin: 'azure-cni-overlay', serviceCidr: '10.0.0.0/24', dnsServiceIp: '10.0.0.53' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    const service = bandsOf(dns53).find((b) => b.range.kind === 'service-cidr');
    expect(service?.segments.map((s) => [Number(s.from), Number(s.to), s.cls])).toEqual([
      [0, 1, 'reserved'],
      [1, 2, 'service'],
      [2, 53, 'free'],
      [53, 54, 'service'],
      [54, 255, 'free'],
      [255, 256, 'reserved'],
    ]);
    expect(service?.segments[3]?.title).toBe('dns-service: 10.0.0.53');
    expect(service?.segments[0]?.title).toBe('never assigned to a service: 10.0.0.0');
  });

  it('draws an IPv6 service CIDR of two addresses: its network address, never assigned, then one free', () => {
    const tiny = planDesign({
      name: 'v6svc',
      network: {
        plugin: 'azure-cni-overlay',
        ipFamilies: ['ipv4', 'ipv6'],
        serviceCidrs: ['10.0.0.0/16', 'fd00::/127'],
      },
      nodePools: [{ name: 'system', nodeCount: 3 }],
    });
    const v6 = bandsOf(tiny).find((b) => b.range.cidr.toString() === 'fd00::/127');
    expect(v6?.segments.map((s) => [Number(s.from), Number(s.to), s.cls])).toEqual([
      [0, 1, 'reserved'],
      [1, 2, 'free'],
    ]);
    expect(svgMap(tiny)).toContain('never assigned to a service: fd00::');
  });

  it('draws the first and last /28 of a static-block pod subnet as reserved, not free', () => {
    const blocks = planDesign({
      name: 'blocks',
      network: {
        plugin: 'azure-cni-pod-subnet',
        nodeSubnet: '10.240.0.0/24',
        podSubnet: '10.241.0.0/24',
        podIpAllocation: 'static-block',
      },
      nodePools: [{ name: 'system', nodeCount: 3, maxPods: 15, maxSurge: 0 }],
    });
    const pods = bandsOf(blocks).find((b) => b.range.kind === 'pod-subnet');
    expect(pods?.segments.map((s) => [Number(s.from), Number(s.to), s.cls])).toEqual([
      [0, 16, 'reserved'],
      [16, 32, 'current'],
      [32, 48, 'current'],
      [48, 64, 'current'],
      [64, 240, 'free'],
      [240, 256, 'reserved'],
    ]);
  });

  it('draws free space first, so that a service address widened to 2 px stays visible', () => {
    const svg = svgMap(example);
    const band = svg.slice(svg.indexOf('data-kind="service-cidr"'));
    expect(band.indexOf('class="segment service"')).toBeGreaterThan(band.lastIndexOf('class="segment free"'));
  });

  it('draws a band per range, a tooltip per rectangle, a legend and the verdict', () => {
    const svg = svgMap(example);
    expect(svg.match(/<g class="band"/g)).toHaveLength(2);
    expect([
      rects(svg, 'current'),
      rects(svg, 'growth'),
      rects(svg, 'surge'),
      rects(svg, 'reservation'),
    ]).toEqual([3, 2, 1, 1]);
    expect(svg.match(/<rect class="segment/g)?.length).toBe(
      svg.match(/<rect class="segment[^>]*><title>/g)?.length,
    );
    expect(svg).toContain('<title>prod-weu-1: ok</title>');
    expect(svg).toContain('>10.240.0.0</text>');
    expect(svg).toContain('>10.240.0.255</text>');
    expect(svg.match(/<rect class="legend"/g)).toHaveLength(10);
  });

  it('draws what does not fit past the end of its band, with the shortfall', () => {
    // kubenet pod CIDR /22 holds 4 nodes of /24: 3 now + 3 growth + 1 surge need 7 -> 3 x 256 = 768 short.
    const tight = planDesign({
      name: 'tight',
      network: { plugin: 'kubenet', nodeSubnet: '10.20.0.0/27', podCidr: '10.244.0.0/22' },
      nodePools: [{ name: 'system', nodeCount: 3, minCount: 3, maxCount: 6 }],
    });
    const pod = bandsOf(tight).find((b) => b.range.kind === 'pod-cidr');
    expect(pod?.shortfall).toBe(768n);
    const svg = svgMap(tight);
    expect(svg).toContain('<title>tight: exhausted</title>');
    expect(svg).toMatch(
      /<rect class="overflow"[^>]*><title>768 addresses short: 3 node slot\(s\) do not fit<\/title>/,
    );
  });

  it('stays readable at 1,000 slots: runs thinner than a pixel become one rectangle', () => {
    // Overlay, 1,000 nodes of a /24 each in a /12 pod CIDR (4,096 blocks): a block is 0.28 px.
    const big = planDesign({
      name: 'big',
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/21', podCidr: '10.128.0.0/12' },
      nodePools: [{ name: 'system', nodeCount: 600, minCount: 600, maxCount: 950, maxSurge: 50 }],
    });
    const svg = svgMap(big);
    const pod = svg.slice(svg.indexOf('data-kind="pod-cidr"'), svg.indexOf('data-kind="service-cidr"'));
    expect((pod.match(/<rect class="segment/g) ?? []).length).toBe(4); // current, growth, surge, free
    expect(pod).toContain('<title>600 current stretches: system node 0 (current) ...</title>');
    expect(svg.length).toBeLessThan(1_000_000);
  });

  it('counts slots that do not fit in their own subnet only', () => {
    // Pool a: 5 nodes + 1 surge in a /29 (3 usable); pool b fits in its own /24.
    const split = planDesign({
      name: 'split',
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/29' },
      nodePools: [
        { name: 'a', nodeCount: 5, maxSurge: 1 },
        { name: 'b', nodeCount: 2, maxSurge: 1, nodeSubnet: '10.240.1.0/24' },
      ],
    });
    const overflow = bandsOf(split)
      .filter((b) => b.range.kind === 'node-subnet')
      .map((b) => [b.range.cidr.toString(), b.overflowSlots]);
    expect(overflow).toEqual([
      ['10.240.0.0/29', 3],
      ['10.240.1.0/24', 0],
    ]);
  });

  it('counts in a pod range only the slots that lack its addresses, not those never created', () => {
    // Node subnet /28 (11 node IPs) and a pod CIDR /22 (4 /24s): 21 slots. 10 slots get no node
    // IP and ask the pod CIDR for nothing; of the 11 nodes, 7 lack a /24.
    const short = planDesign({
      name: 'short',
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/28', podCidr: '10.244.0.0/22' },
      nodePools: [{ name: 'system', nodeCount: 19, maxSurge: 2 }],
    });
    const overflow = Object.fromEntries(bandsOf(short).map((b) => [b.range.kind, b.overflowSlots]));
    expect(overflow).toMatchObject({ 'node-subnet': 10, 'pod-cidr': 7 });
    // Dual-stack: the IPv6 pod CIDR has room; its slots lack an IPv4 /24, not an /80.
    const dual = planDesign({
      name: 'dual',
      network: {
        plugin: 'azure-cni-overlay',
        nodeSubnet: '10.240.0.0/24',
        ipFamilies: ['ipv4', 'ipv6'],
        podCidrs: ['10.244.0.0/23', 'fd12:3456:789a::/64'],
      },
      nodePools: [{ name: 'system', nodeCount: 3, maxSurge: 1 }],
    });
    const pods = bandsOf(dual)
      .filter((b) => b.range.kind === 'pod-cidr')
      .map((b) => b.overflowSlots);
    expect(pods).toEqual([2, 0]);
  });

  it('is worked out in steps a server pauses between, with the same picture', async () => {
    // 1,550 slots: two pages of slots, then the node subnet and pod CIDR bands in steps of 500,
    // and a step between each of the three bands (node subnet, pod CIDR, service CIDR).
    const big = planDesign({
      name: 'big',
      network: { plugin: 'azure-cni-overlay', nodeSubnet: '10.240.0.0/21', podCidr: '10.128.0.0/12' },
      nodePools: [
        { name: 'system', nodeCount: 600, minCount: 600, maxCount: 900, maxSurge: 100 },
        { name: 'user', nodeCount: 500, maxSurge: 50 },
      ],
    });
    const steps = bandSteps(big);
    let pauses = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses++;
    expect(pauses).toBe(2 + 3 + 3 + 2);
    expect(step.value).toEqual(bandsOf(big));
    expect(await svgMapInSlices(big)).toBe(svgMap(big));
  });

  it('is drawn a band at a time, a server pausing between bands, with the same picture', async () => {
    const bands = bandsOf(example);
    const drawing = svgMapSteps(example, bands);
    let pauses = 0;
    let step = drawing.next();
    for (; !step.done; step = drawing.next()) pauses++;
    expect(pauses).toBe(bands.length);
    expect(step.value).toBe(svgMap(example));
    // Slices of no time: the server lets other work in at every step, bands and drawing.
    let bandPauses = 0;
    for (const steps = bandSteps(example); !steps.next().done; ) bandPauses++;
    const turns = await turnsDuring(async () => {
      expect(await svgMapInSlices(example, 0)).toBe(svgMap(example));
    });
    expect(turns).toBeGreaterThanOrEqual(bandPauses + bands.length);
  });
});

describe('the VNet band', () => {
  const udrLab = planDesign({
    name: 'udr-lab',
    network: { plugin: 'azure-cni-overlay', vnetAddressSpace: ['10.42.0.0/22'], nodeSubnet: '10.42.1.0/24' },
    nodePools: [{ name: 'system', nodeCount: 3 }],
    platformSubnets: [
      { role: 'azure-firewall', cidr: '10.42.2.0/24' },
      { role: 'bastion' },
      { role: 'application-gateway' },
      { role: 'other', name: 'tools', prefixLength: 24 },
    ],
  });

  it('draws the whole VNet above the ranges, every subnet to scale and labelled', () => {
    const svg = svgMap(udrLab);
    expect(svg.match(/<g class="band vnet"/g)).toHaveLength(1);
    expect(svg.indexOf('class="band vnet"')).toBeLessThan(svg.indexOf('<g class="band"'));
    const labels = [...svg.matchAll(/<text class="subnet-label"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(labels).toEqual([
      'aks-nodes 10.42.1.0/24',
      'AzureFirewallSubnet 10.42.2.0/24',
      'application-gateway 10.42.3.0/24',
      'tools 10.42.0.0/24',
    ]);
    // A quarter of the VNet each: 1,152 px of bar less the room kept for what has no room.
    expect(svg).toMatch(/<rect class="segment cluster-subnet" x="277\.00" y="\d+" width="253\.00"/);
  });

  it('lists the subnets that found no room past the end of the band', () => {
    const svg = svgMap(udrLab);
    expect(svg).toMatch(
      /<text class="missing"[^>]*><tspan x="1048" dy="14">no room:<\/tspan><tspan x="1048" dy="14">AzureBastionSubnet \/26<\/tspan><\/text>/,
    );
    expect(svg).toContain('<title>no room for AzureBastionSubnet /26: 64 addresses missing</title>');
    expect(svg).toContain('<title>udr-lab: exhausted</title>');
  });

  it('lists many subnets without room once, one a line, inside the picture', () => {
    const crowded = planDesign({
      ...udrLab.spec,
      network: { ...udrLab.spec.network, vnetAddressSpace: ['10.42.0.0/22', '10.43.0.0/25'] },
      platformSubnets: [
        ...Array.from({ length: 20 }, (_, i) => ({
          role: 'application-gateway' as const,
          name: `application-gateway-${i}`,
        })),
      ],
    });
    const svg = svgMap(crowded);
    // Drawn past the last VNet range only, and cut to the room kept for it.
    expect(svg.match(/<text class="missing"/g)).toHaveLength(1);
    const lines = [...svg.matchAll(/<tspan x="(\d+)" dy="14">([^<]*)</g)].map((m) => [Number(m[1]), m[2]]);
    expect(lines[0]).toEqual([1048, 'no room:']);
    expect(lines.at(-1)?.[1]).toMatch(/^and \d+ more$/);
    for (const [, text] of lines) expect(String(text).length).toBeLessThanOrEqual(22);
  });
});

describe('what the map draws at the edges (rules a mutation round found unwatched)', () => {
  const staticBlocks = (podSubnet: string) =>
    bandsOf(
      planDesign({
        name: 'blocks',
        network: {
          plugin: 'azure-cni-pod-subnet',
          nodeSubnet: '10.10.0.0/24',
          podSubnet,
          podIpAllocation: 'static-block',
        },
        nodePools: [{ name: 'system', nodeCount: 1, maxPods: 31, maxSurge: 0 }],
      }),
    );
  const band = (bands: ReturnType<typeof bandsOf>, kind: string) => bands.find((b) => b.range.kind === kind);

  it('draws a /27 static-block pod subnet as its two /28 blocks, both holding reserved addresses', () => {
    const pods = band(staticBlocks('10.11.0.0/27'), 'pod-subnet');
    expect(pods?.segments.map((s) => s.title)).toEqual([
      'not in a /28 block (Azure reserved addresses): 10.11.0.0-10.11.0.15',
      'not in a /28 block (Azure reserved addresses): 10.11.0.16-10.11.0.31',
    ]);
  });

  it("draws a static-block design's node subnet with Azure's reserved addresses, not /28 blocks", () => {
    const nodes = band(staticBlocks('10.11.0.0/24'), 'node-subnet');
    expect(nodes?.segments[0]).toMatchObject({
      from: 0n,
      to: 4n,
      title: 'Azure reserved: 10.10.0.0-10.10.0.3',
    });
  });

  it("keeps a dynamic pod subnet's pods inside it when it lacks room", () => {
    const bands = bandsOf(
      planDesign({
        name: 'dynamic',
        network: { plugin: 'azure-cni-pod-subnet', nodeSubnet: '10.10.0.0/24', podSubnet: '10.11.0.0/28' },
        nodePools: [{ name: 'system', nodeCount: 3, maxPods: 30 }],
      }),
    );
    const pods = band(bands, 'pod-subnet');
    expect(pods?.shortfall).toBeGreaterThan(0n);
    for (const segment of pods?.segments ?? []) expect(segment.to).toBeLessThanOrEqual(16n);
  });

  it('lists eight subnets without room and counts the rest, one included', () => {
    const roomless = planDesign({
      name: 'crowded',
      network: {
        plugin: 'azure-cni-overlay',
        vnetAddressSpace: ['10.42.0.0/24'],
        nodeSubnet: '10.42.0.0/25',
      },
      nodePools: [{ name: 'system', nodeCount: 3 }],
      platformSubnets: Array.from({ length: 10 }, (_, i) => ({
        role: 'other' as const,
        name: `s${i}`,
        prefixLength: 25,
      })),
    });
    const svg = svgMap(roomless);
    expect(svg).toContain('and 1 more');
  });
});
