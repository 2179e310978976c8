import { formatCount } from '../capacity/numbers.js';
import { type RangeCapacity, rangeCapacity } from '../capacity/range-capacity.js';
import type { Cidr, IpAddress } from '../ip/index.js';
import type { AddressMatch } from './layout-types.js';

/** Kubernetes gives the first host address of the primary service CIDR to the API server service. */
const KUBERNETES_API_OFFSET = 1n;

/**
 * What an address of a service CIDR is. The API server and DNS services live in the primary
 * (IPv4) range; with dual-stack, the IPv6 range holds only the IPv6 addresses of services.
 */
export function lookupService(
  service: Cidr,
  dns: IpAddress,
  address: IpAddress,
  primary: boolean,
): AddressMatch[] {
  if (!service.contains(address)) return [];
  // Kubernetes never assigns these (serviceCapacity leaves them out): inside the range, no service.
  if (isUnassignable(service, address)) return [{ role: 'unassigned', kind: 'service-cidr', range: service }];
  if (primary && address.equals(dns)) return [{ role: 'dns-service', kind: 'service-cidr', range: service }];
  if (primary && address.distanceFrom(service.first) === KUBERNETES_API_OFFSET) {
    return [{ role: 'kubernetes-api-service', kind: 'service-cidr', range: service }];
  }
  return [{ role: 'service', kind: 'service-cidr', range: service }];
}

/** The network address, and the broadcast address of an IPv4 range. */
function isUnassignable(service: Cidr, address: IpAddress): boolean {
  return address.equals(service.first) || (service.family === 4 && address.equals(service.last));
}

/**
 * A service CIDR holds ClusterIP services, which the design does not count: the planner reports
 * the addresses every cluster takes (API server and DNS, in the primary range) and what remains.
 * Kubernetes never assigns the network address, nor the broadcast address of an IPv4 range.
 */
export function serviceCapacity(service: Cidr, dns: IpAddress, primary: boolean): RangeCapacity {
  const unassignable = service.family === 4 ? 2n : 1n;
  const usable = service.size > unassignable ? service.size - unassignable : 0n;
  const taken = primary ? 2n : 0n;
  const excluded =
    service.family === 4 ? 'network and broadcast addresses excluded' : 'network address excluded';
  const rest = `the other ${formatCount(usable - taken)} are for ClusterIP services`;
  const explain = primary
    ? `kubernetes API service ${service.at(KUBERNETES_API_OFFSET)} + DNS service ${dns} = 2 of ${formatCount(usable)} assignable (${excluded}); ${rest}`
    : `IPv6 addresses of dual-stack services: ${formatCount(usable)} assignable (${excluded})`;
  return rangeCapacity({
    kind: 'service-cidr',
    cidr: service,
    total: service.size,
    azureReserved: 0n,
    usable,
    required: { current: taken, atMaxCount: taken, duringUpgrade: taken },
    nodeSlots: null,
    explain,
    recommendedPrefixLength: null,
    perSlot: new Map(),
  });
}
