import { Cidr, IpAddress } from '../ip/index.js';
import type { PlanInput } from './spec.js';

type Canonical = (text: string) => string;

/** A CIDR or an address in canonical form (RFC 5952 for IPv6); text that does not parse is kept for validation to report. */
const cidr: Canonical = (text) => Cidr.tryParse(text)?.toString() ?? text;
const address: Canonical = (text) => IpAddress.tryParse(text)?.toString() ?? text;

/** A copy with each listed field that is present (a text or a list of texts) written canonically. */
function rewrite<T extends object>(target: T, fields: { readonly [K in keyof T]?: Canonical }): T {
  const out = { ...target } as Record<string, unknown>;
  for (const [field, form] of Object.entries(fields) as [string, Canonical][]) {
    const value = out[field];
    if (typeof value === 'string') out[field] = form(value);
    else if (Array.isArray(value)) out[field] = value.map((t) => (typeof t === 'string' ? form(t) : t));
  }
  return out as T;
}

/**
 * The design with every address and CIDR it names written canonically, as the contract answers
 * them: `FD12:3456:789A:0001::/108` is checked, echoed, compared and stored as `fd12:3456:789a:1::/108`.
 */
export function withCanonicalAddresses<T extends PlanInput>(input: T): T {
  const { network, outbound, platformSubnets } = input;
  return {
    ...input,
    ...(network === undefined
      ? {}
      : {
          network: rewrite(network, {
            vnetAddressSpace: cidr,
            nodeSubnet: cidr,
            podSubnet: cidr,
            podCidr: cidr,
            podCidrs: cidr,
            serviceCidr: cidr,
            serviceCidrs: cidr,
            dnsServiceIp: address,
          }),
        }),
    nodePools: input.nodePools.map((pool) => rewrite(pool, { nodeSubnet: cidr, podSubnet: cidr })),
    ...(outbound === undefined
      ? {}
      : {
          outbound: rewrite(outbound, {
            publicIps: address,
            firewallPrivateIp: address,
            firewallPublicIp: address,
          }),
        }),
    ...(platformSubnets === undefined
      ? {}
      : { platformSubnets: platformSubnets.map((subnet) => rewrite(subnet, { cidr })) }),
  };
}
