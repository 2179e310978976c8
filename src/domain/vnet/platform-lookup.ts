import { AKS, AZURE_SUBNET } from '../aks-limits.js';
import type { PlacedPlatformSubnet, ResolvedPlan } from '../design/resolved-plan.js';
import { Cidr, IpAddress } from '../ip/index.js';
import type { AddressMatch, AddressRole, PlanRange } from '../layout/layout-types.js';
import { type HeldReservations, heldReservations } from './reservation-holders.js';
import { firewallPrivateIp } from './route-table.js';

/** A platform subnet that has a CIDR (given, or placed). */
type Sited = PlacedPlatformSubnet & { readonly cidr: Cidr };

/**
 * What the platform subnets and recorded addresses of a plan answer: Azure's reserved
 * addresses, the firewall's private IP (the first usable address of AzureFirewallSubnet unless
 * outbound.firewallPrivateIp names another), the private endpoints at the start of a
 * private-endpoints subnet and the internal load balancer frontends at the start of an
 * internal-load-balancers one, and otherwise the subnet itself; recorded public IPs by what
 * holds them.
 */
export class PlatformAddresses {
  private readonly sited: readonly Sited[];
  private readonly firewallIp: IpAddress | undefined;
  private readonly known: readonly { readonly cidr: Cidr; readonly role: AddressRole }[];
  /** The reservations held at the start of their subnets, worked out once for every lookup. */
  private readonly held: readonly HeldReservations[];

  constructor(plan: ResolvedPlan) {
    this.sited = plan.platformSubnets.filter((s): s is Sited => s.cidr !== null);
    this.held = heldReservations(plan);
    const outbound = plan.spec.outbound;
    this.firewallIp = firewallPrivateIp(plan);
    const recorded = [
      ...(outbound?.publicIps ?? []).map((text) => ({ text, role: 'outbound-public-ip' as const })),
      { text: outbound?.firewallPublicIp, role: 'firewall' as const },
      // A firewall outside this VNet (a hub) is answered by its address alone.
      { text: outbound?.firewallPrivateIp, role: 'firewall' as const },
    ];
    this.known = recorded.flatMap(({ text, role }) => {
      const ip = parseIpv4(text);
      if (ip === undefined || this.sited.some((s) => s.cidr.contains(ip))) return [];
      return [{ cidr: Cidr.containing(ip, 32), role }];
    });
  }

  /**
   * The ranges the lookup index files: every sited platform subnet, with what the cluster takes
   * in it where other clusters may share it, and each recorded address.
   */
  ranges(): PlanRange[] {
    return [
      ...this.sited.map((s) => {
        const demand = this.demandIn(s);
        const range = { kind: 'platform-subnet' as const, cidr: s.cidr, name: s.name };
        return demand === 0 ? range : { ...range, subnetDemand: demand };
      }),
      ...this.known.map((k) => ({ kind: 'known-ip' as const, cidr: k.cidr })),
    ];
  }

  /**
   * The addresses the cluster takes in a platform subnet: its API server's in the first
   * api-server subnet with a CIDR (the one it is integrated with), or what the subnet holds.
   */
  private demandIn(subnet: Sited): number {
    if (subnet.role === 'api-server')
      return this.sited.find((s) => s.role === 'api-server') === subnet ? AKS.apiServerSubnetReserved : 0;
    return this.held.find((h) => h.subnet === subnet)?.count ?? 0;
  }

  lookup(address: IpAddress): AddressMatch[] {
    const known = this.known.find((k) => k.cidr.contains(address));
    if (known !== undefined) return [{ role: known.role, kind: 'known-ip', range: known.cidr }];
    const subnet = this.sited.find((s) => s.cidr.contains(address));
    return subnet === undefined ? [] : [this.inSubnet(subnet, address)];
  }

  private inSubnet(subnet: Sited, address: IpAddress): AddressMatch {
    const at = {
      kind: 'platform-subnet' as const,
      range: subnet.cidr,
      name: subnet.name,
      subnetRole: subnet.role,
    };
    const offset = Number(subnet.cidr.offsetOf(address) ?? 0n);
    const size = Number(subnet.cidr.size);
    if (offset < AZURE_SUBNET.leadingReserved || offset >= size - AZURE_SUBNET.trailingReserved) {
      return { role: 'azure-reserved', ...at };
    }
    if (this.firewallIp?.equals(address)) return { role: 'firewall', ...at };
    const held = this.held.find((h) => h.subnet === subnet);
    if (held !== undefined && offset - AZURE_SUBNET.leadingReserved < held.count)
      return { role: held.role, ...at };
    return { role: 'platform-subnet', ...at };
  }
}

function parseIpv4(text: string | undefined): IpAddress | undefined {
  const address = text === undefined ? undefined : IpAddress.tryParse(text);
  return address?.family === 4 ? address : undefined;
}
