import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cidr, IpAddress } from '../../../src/domain/ip/index.js';
import { NodeDirectory } from '../../../src/domain/nodes/node-directory.js';
import type { RealNode } from '../../../src/domain/nodes/real-node.js';

const nodeArb: fc.Arbitrary<RealNode> = fc
  .record({
    name: fc.constantFrom('n0', 'n1', 'n2', 'n3', 'n4'),
    ip: fc.option(fc.integer({ min: 0, max: 7 }), { nil: null }),
    v6: fc.boolean(),
    pods: fc.option(
      fc.record({ block: fc.integer({ min: 0, max: 7 }), length: fc.constantFrom(24, 25, 26) }),
      {
        nil: null,
      },
    ),
  })
  .map(({ name, ip, v6, pods }) => ({
    name,
    pool: 'system',
    nodeIp: ip === null ? null : IpAddress.parse(v6 ? `fd00::${ip}` : `10.224.0.${ip}`),
    podCidr:
      pods === null
        ? null
        : v6
          ? Cidr.containing(IpAddress.parse(`fd10:0:0:${pods.block}::`), pods.length + 40)
          : Cidr.containing(IpAddress.parse(`10.244.${pods.block}.0`), pods.length),
  }));
const addressArb = fc.oneof(
  fc.integer({ min: 0, max: 7 }).map((k) => IpAddress.parse(`fd00::${k}`)),
  fc
    .record({ block: fc.integer({ min: 0, max: 7 }), host: fc.integer({ min: 0, max: 65535 }) })
    .map(({ block, host }) => IpAddress.parse(`fd10:0:0:${block}::${host.toString(16)}`)),
  fc.integer({ min: 0, max: 7 }).map((k) => IpAddress.parse(`10.224.0.${k}`)),
  fc
    .record({ block: fc.integer({ min: 0, max: 7 }), host: fc.integer({ min: 0, max: 255 }) })
    .map(({ block, host }) => IpAddress.parse(`10.244.${block}.${host}`)),
);

describe('a node directory', () => {
  it('finds the nodes by node IP and by the pod CIDR holding an address, as a scan of every node would', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(nodeArb, { selector: (n) => n.name, maxLength: 5 }),
        fc.array(addressArb, { maxLength: 3 }),
        fc.array(addressArb, { maxLength: 3 }),
        (nodes, nodeIps, podAddresses) => {
          const expected = nodes
            .filter(
              (n) =>
                nodeIps.some((ip) => n.nodeIp?.equals(ip)) ||
                podAddresses.some((a) => n.podCidr?.contains(a) === true),
            )
            .map((n) => n.name)
            .sort();
          const directory = new NodeDirectory(nodes);
          expect(directory.at(nodeIps, podAddresses).map((n) => n.name)).toEqual(expected);
          for (const node of nodes) expect(directory.named(node.name)).toBe(node);
        },
      ),
    );
  });
});
