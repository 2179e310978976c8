import { formatCount } from '../capacity/numbers.js';
import type { RangeCapacity } from '../capacity/range-capacity.js';
import { utilization, verdictFor } from '../capacity/verdict.js';
import type { Cidr, IpAddress } from '../ip/index.js';
import type { AddressMatch } from './layout-types.js';

/** Kubernetes gives the first host address of the service CIDR to the API server service. */
const KUBERNETES_API_OFFSET = 1n;
/** Addresses of the service CIDR no ClusterIP service can take: the network and broadcast addresses. */
const UNASSIGNABLE = 2n;

/** What an address of the service CIDR is: the API server service, the DNS service, or a service IP. */
export function lookupService(service: Cidr, dns: IpAddress, address: IpAddress): AddressMatch[] {
  if (!service.contains(address)) return [];
  if (address.equals(dns)) return [{ role: 'dns-service', range: service }];
  if (address.distanceFrom(service.first) === KUBERNETES_API_OFFSET) {
    return [{ role: 'kubernetes-api-service', range: service }];
  }
  return [{ role: 'service', range: service }];
}

/**
 * The service CIDR holds ClusterIP services, which the design does not count: the planner
 * reports the two addresses every cluster takes and how many remain for services.
 */
export function serviceCapacity(service: Cidr, dns: IpAddress): RangeCapacity {
  const usable = service.size > UNASSIGNABLE ? service.size - UNASSIGNABLE : 0n;
  const taken = 2n;
  const kubernetesApi = service.at(KUBERNETES_API_OFFSET);
  return {
    kind: 'service-cidr',
    cidr: service,
    total: service.size,
    azureReserved: 0n,
    usable,
    required: { current: taken, atMaxCount: taken, duringUpgrade: taken },
    free: usable - taken,
    utilization: utilization(taken, usable),
    nodeSlots: null,
    verdict: verdictFor(taken, usable),
    explain: `kubernetes API service ${kubernetesApi} + DNS service ${dns} = 2 of ${formatCount(usable)} assignable (network and broadcast addresses excluded); the other ${formatCount(usable - taken)} are for ClusterIP services`,
    recommendedPrefixLength: null,
  };
}
