/**
 * api.md: addresses are strings in canonical form (IPv4 dotted quad, IPv6 RFC 5952, CIDRs with
 * no host bits set). A design may name them in any form that parses; the plan answers, stores and
 * compares the canonical one.
 */
import { describe, expect, it } from 'vitest';
import { withCanonicalAddresses } from '../../src/domain/design/canonical-addresses.js';
import { refusedChanges } from '../../src/domain/plan/change-rules.js';
import { loadDesign, planDesign } from '../../src/domain/plan/planner.js';
import { dualStackDesign } from './plugins/helpers.js';

describe('canonical addresses', () => {
  it('echoes IPv6 pod and service CIDRs in RFC 5952 form, whatever case and zeros they came in', () => {
    const planned = planDesign(
      dualStackDesign({
        network: {
          podCidrs: ['10.244.0.0/16', 'FD12:3456:789A:0:0::/64'],
          serviceCidrs: ['10.0.0.0/16', 'FD12:3456:789A:0001:0000::/108'],
        },
      }),
    );

    expect(planned.spec.network.podCidrs).toEqual(['10.244.0.0/16', 'fd12:3456:789a::/64']);
    expect(planned.spec.network.serviceCidrs).toEqual(['10.0.0.0/16', 'fd12:3456:789a:1::/108']);
  });

  it('writes every address field canonically and leaves text that does not parse to validation', () => {
    const input = withCanonicalAddresses({
      name: 'x',
      network: { nodeSubnet: '10.240.0.0/24', dnsServiceIp: 'not an address', serviceCidr: '10.0.0.0/16' },
      nodePools: [{ name: 'system', nodeCount: 1, podSubnet: 'FD00::/64' }],
      outbound: { publicIps: ['20.1.2.3', '2001:DB8::1'], firewallPrivateIp: '2001:0db8::0001' },
      platformSubnets: [{ role: 'azure-firewall', cidr: '10.240.1.0/26' }],
    });

    expect(input.network?.dnsServiceIp).toBe('not an address');
    expect(input.nodePools[0]?.podSubnet).toBe('fd00::/64');
    expect(input.outbound).toEqual({
      publicIps: ['20.1.2.3', '2001:db8::1'],
      firewallPrivateIp: '2001:db8::1',
    });
    expect(input.platformSubnets).toEqual([{ role: 'azure-firewall', cidr: '10.240.1.0/26' }]);
    expect(Object.keys(input.nodePools[0] ?? {})).toEqual(['name', 'nodeCount', 'podSubnet']);
  });

  it('compares a stored non-canonical design with its canonical rewrite as unchanged', () => {
    const stored = planDesign(dualStackDesign()).spec;
    const upper = {
      ...stored,
      network: { ...stored.network, serviceCidrs: ['10.0.0.0/16', 'FD12:3456:789A:1::/108'] },
    };
    expect(refusedChanges(withCanonicalAddresses(upper), stored)).toEqual([]);
    expect(refusedChanges(upper, stored).map((p) => p.code)).toEqual(['SERVICE_CIDR_CHANGE_REFUSED']);
  });

  it('answers a plan an earlier release stored in another form canonically, spec and capacity alike', () => {
    const stored = planDesign(dualStackDesign()).spec;
    const upper = {
      ...stored,
      network: { ...stored.network, serviceCidrs: ['10.0.0.0/16', 'FD12:3456:789A:0001::/108'] },
    };
    const loaded = loadDesign(upper, []);
    expect(loaded.spec.network.serviceCidrs).toEqual(['10.0.0.0/16', 'fd12:3456:789a:1::/108']);
    expect(loaded.model.capacity().ranges.map((r) => r.cidr.toString())).toContain('fd12:3456:789a:1::/108');
  });
});
