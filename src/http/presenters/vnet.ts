import type { VnetView } from '../../domain/vnet/vnet-view.js';

export function presentVnet(view: VnetView) {
  return {
    addressSpace: view.addressSpace.map((use) => ({ ...use, cidr: use.cidr.toString() })),
    verdict: view.verdict,
    subnets: view.subnets.map((s) => ({
      name: s.name,
      role: s.role,
      cidr: s.cidr?.toString() ?? null,
      prefixLength: s.prefixLength,
      placed: s.placed,
      total: s.total,
      usable: s.usable,
      holds: s.holds,
    })),
    freeBlocks: view.freeBlocks.map(String),
    missingAddresses: view.missingAddresses,
    recommendation: { vnetPrefixLength: view.vnetPrefixLength },
    firewallPrivateIp: view.firewallPrivateIp,
    routeTables: view.routeTables.map((table) => ({
      name: table.name,
      subnets: table.subnets.map(String),
      routes: table.routes.map((r) => ({
        name: r.name,
        addressPrefix: r.addressPrefix.toString(),
        nextHopType: r.nextHopType,
        nextHopIp: r.nextHopIp?.toString() ?? null,
      })),
    })),
    firewallRules: view.firewallRules.map((rule) => ({
      ...rule,
      protocols: [...rule.protocols],
      destinationPorts: [...rule.destinationPorts],
      fqdnTags: [...rule.fqdnTags],
      destinations: [...rule.destinations],
    })),
  };
}
