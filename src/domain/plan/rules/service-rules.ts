import { AKS } from '../../aks-limits.js';
import { distinctSubnets, type ParsedNetwork } from '../../design/parsed-network.js';
import type { ProblemCollector } from '../../design/problems.js';
import { checkAksForbidden, checkUnicastRange } from '../../design/rules/forbidden-ranges.js';
import type { Cidr, IpAddress } from '../../ip/index.js';

const SERVICE = 'network.serviceCidr';
const DNS = 'network.dnsServiceIp';

/** The service CIDR and the DNS service IP (shared/aks-networking.md section 3). */
export function checkServiceNetwork(parsed: ParsedNetwork, problems: ProblemCollector): void {
  const service = parsed.serviceCidr;
  if (service === undefined) return;
  if (service.family !== 4) {
    problems.add(
      'ADDRESS_FAMILY_NOT_SUPPORTED',
      SERVICE,
      `${service} is IPv6; single-stack clusters use an IPv4 service CIDR`,
    );
    return;
  }
  if (service.prefixLength < AKS.minServiceCidrPrefixLength) {
    problems.add(
      'SERVICE_CIDR_TOO_LARGE',
      SERVICE,
      `${service} is larger than /${AKS.minServiceCidrPrefixLength}, the largest service CIDR AKS accepts`,
    );
  }
  checkAksForbidden(service, SERVICE, problems);
  checkUnicastRange(service, SERVICE, problems);
  checkServiceOverlaps(service, parsed, problems);
  if (parsed.dnsServiceIp !== undefined) checkDnsServiceIp(service, parsed.dnsServiceIp, problems);
}

/**
 * AKS refuses a service CIDR that overlaps a subnet of the cluster; overlap with the rest of
 * the VNet address space is accepted (a warning, SERVICE_CIDR_OVERLAPS_VNET).
 */
function checkServiceOverlaps(service: Cidr, parsed: ParsedNetwork, problems: ProblemCollector): void {
  for (const subnet of distinctSubnets(parsed)) {
    if (service.overlaps(subnet.cidr)) {
      problems.add(
        'SERVICE_CIDR_OVERLAPS_NODE_SUBNET',
        SERVICE,
        `${service} overlaps the node subnet ${subnet.cidr} (${subnet.path})`,
      );
    }
  }
}

/**
 * Kubernetes gives the service CIDR's first host address to the API server service and never
 * hands out the network or broadcast address, so the DNS service IP may be none of them.
 */
function checkDnsServiceIp(service: Cidr, dns: IpAddress, problems: ProblemCollector): void {
  if (!service.contains(dns)) {
    problems.add(
      'DNS_SERVICE_IP_OUT_OF_SERVICE_CIDR',
      DNS,
      `${dns} is not inside the service CIDR ${service}`,
    );
    return;
  }
  const offset = dns.distanceFrom(service.first);
  const reason = reservedServiceAddress(service, offset);
  if (reason !== undefined) {
    problems.add(
      'DNS_SERVICE_IP_RESERVED',
      DNS,
      `${dns} is the ${reason} of the service CIDR ${service}; pick another address inside it`,
    );
  }
}

/** Names the role of a service CIDR address that no ClusterIP service can take. */
export function reservedServiceAddress(service: Cidr, offset: bigint): string | undefined {
  if (offset === 0n) return 'network address';
  if (offset === 1n) return 'kubernetes API service address (kubernetes.default)';
  if (offset === service.size - 1n) return 'broadcast address';
  return undefined;
}
