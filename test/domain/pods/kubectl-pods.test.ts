import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { parseKubectlPods, readKubectlPods } from '../../../src/domain/pods/kubectl-pods.js';

const pod = (name: string, status: object, spec: object = { nodeName: 'aks-system-0' }, owner = true) => ({
  metadata: {
    name,
    namespace: 'shop',
    ...(owner ? { ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d9f', controller: true }] } : {}),
  },
  spec,
  status,
});

describe('kubectl get pods -A -o json', () => {
  it('names the controller among the owners, reads hostNetwork false as false, and an empty podIP as none', () => {
    const owned = {
      metadata: {
        name: 'web-1',
        namespace: 'default',
        ownerReferences: [
          { kind: 'Node', name: 'aks-system-0' },
          { kind: 'ReplicaSet', name: 'web-abc', controller: true },
        ],
      },
      spec: { nodeName: 'aks-system-0', hostNetwork: false },
      status: { phase: 'Running', podIP: '10.244.0.5' },
    };
    const [address] = parseKubectlPods({ items: [owned] });
    expect([address?.ownerKind, address?.ownerName, address?.hostNetwork]).toEqual([
      'ReplicaSet',
      'web-abc',
      false,
    ]);
    const unaddressed = { ...owned, status: { phase: 'Running', podIP: '', podIPs: [] } };
    expect(parseKubectlPods({ items: [unaddressed] })).toEqual([]);
  });

  it('records every address of every pod, with its owner, node and host network flag', () => {
    const addresses = parseKubectlPods({
      items: [
        pod('web-1', { podIP: '10.244.0.7', podIPs: [{ ip: '10.244.0.7' }, { ip: 'fd12::7' }] }),
        pod('proxy', { podIP: '10.240.0.4' }, { nodeName: 'aks-system-0', hostNetwork: true }, false),
        pod('pending', { phase: 'Pending' }),
      ],
    });
    expect(
      addresses.map((a) => [a.ip.toString(), a.pod, a.ownerKind, a.ownerName, a.node, a.hostNetwork]),
    ).toEqual([
      ['10.244.0.7', 'web-1', 'ReplicaSet', 'web-7d9f', 'aks-system-0', false],
      ['fd12::7', 'web-1', 'ReplicaSet', 'web-7d9f', 'aks-system-0', false],
      ['10.240.0.4', 'proxy', null, null, 'aks-system-0', true],
    ]);
  });

  it('reports every bad item at once, with its path', () => {
    const refusal = (() => {
      try {
        parseKubectlPods({
          items: [
            pod('ok', { podIP: '10.0.0.1' }),
            { metadata: { namespace: 'x' } },
            pod('bad', { podIP: '10.0.0.999' }),
            7,
          ],
        });
      } catch (error) {
        return error as DomainError;
      }
      throw new Error('should refuse');
    })();
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal.problems.map((p) => [p.code, p.path])).toEqual([
      ['KUBECTL_PODS_INVALID', 'items[1].metadata.name'],
      ['KUBECTL_PODS_INVALID', 'items[2].status.podIP'],
      ['KUBECTL_PODS_INVALID', 'items[3]'],
    ]);
    expect(() => parseKubectlPods({ kind: 'List' })).toThrow(/items list/);
  });

  it('refuses names Kubernetes would not accept: a name of megabytes is no pod list', () => {
    const huge = 'a'.repeat(5_000_000);
    const bad = {
      metadata: {
        name: huge,
        namespace: 'Shop\u202e',
        ownerReferences: [{ kind: 'Replica Set', name: 'web', controller: true }],
      },
      spec: { nodeName: 'aks-system-0\n' },
      status: { podIP: '10.0.0.1' },
    };
    try {
      parseKubectlPods({ items: [bad] });
      expect.unreachable();
    } catch (error) {
      const problems = (error as DomainError).problems;
      expect(problems.map((p) => p.path)).toEqual([
        'items[0].metadata.name',
        'items[0].metadata.namespace',
        'items[0].spec.nodeName',
        'items[0].metadata.ownerReferences[0].kind',
      ]);
      expect(problems[0]?.message).toBe(
        `"${'a'.repeat(61)}"... is not a Kubernetes name (lowercase letters, digits, "-" and ".", at most 253)`,
      );
    }
    const longest = 'a'.repeat(253);
    expect(parseKubectlPods({ items: [pod(longest, { podIP: '10.0.0.1' })] })[0]?.pod).toBe(longest);
  });
});

/** The problems of a refused pod list, as [path, message]. */
function refusal(document: unknown): [string, string][] {
  try {
    parseKubectlPods(document);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).problems.map((p) => {
      expect(p.code).toBe('KUBECTL_PODS_INVALID');
      return [p.path, p.message];
    });
  }
  throw new Error('should refuse');
}

describe('what a pod list says of who holds an address', () => {
  it('gives a finished pod no address: kubectl keeps its podIP, but the IP is back in the pool', () => {
    const addresses = parseKubectlPods({
      items: [
        pod('job-done', { phase: 'Succeeded', podIP: '10.244.0.7', podIPs: [{ ip: '10.244.0.7' }] }),
        pod('job-failed', { phase: 'Failed', podIP: '10.244.0.8' }),
        pod('web-1', { phase: 'Running', podIP: '10.244.0.7' }),
        pod('web-2', { phase: 'Unknown', podIP: '10.244.0.9' }),
      ],
    });
    expect(addresses.map((a) => [a.pod, a.ip.toString()])).toEqual([
      ['web-1', '10.244.0.7'],
      ['web-2', '10.244.0.9'],
    ]);
  });

  it('refuses fields of the wrong type at their paths, all at once, rather than read them as absent', () => {
    const wrong = {
      metadata: { name: 'a', namespace: 'n' },
      spec: { nodeName: 123, hostNetwork: 'true' },
      status: { podIP: '10.60.0.8', podIPs: { ip: '10.60.0.9' } },
    };
    expect(refusal({ items: [wrong] })).toEqual([
      ['items[0].spec.nodeName', 'spec.nodeName must be a string, not 123'],
      ['items[0].spec.hostNetwork', 'spec.hostNetwork must be a boolean, not "true"'],
      ['items[0].status.podIPs', 'podIPs must be a list, not {"ip":"10.60.0.9"}'],
    ]);
    const more = {
      metadata: {
        name: 'b',
        namespace: 'n',
        ownerReferences: [{ kind: 7, name: ['web'], controller: true }],
      },
      spec: 'aks-system-0',
      status: { phase: 3, podIPs: ['10.60.0.9', { ip: 5 }] },
    };
    const noIp = { ...more, metadata: { ...more.metadata, ownerReferences: 'rs' }, status: { podIPs: [{}] } };
    expect(refusal({ items: [more, noIp] })).toEqual([
      [
        'items[0].metadata.ownerReferences[0].kind',
        'metadata.ownerReferences[0].kind must be a string, not 7',
      ],
      [
        'items[0].metadata.ownerReferences[0].name',
        'metadata.ownerReferences[0].name must be a string, not ["web"]',
      ],
      ['items[0].spec', 'spec must be an object, not "aks-system-0"'],
      ['items[0].status.phase', 'status.phase must be a string, not 3'],
      ['items[0].status.podIPs[0]', 'a podIPs entry must be an object with an ip, not "10.60.0.9"'],
      ['items[0].status.podIPs[1].ip', 'pod n/b has 5, not an IP address'],
      ['items[1].metadata.ownerReferences', 'ownerReferences must be a list, not "rs"'],
      ['items[1].spec', 'spec must be an object, not "aks-system-0"'],
      ['items[1].status.podIPs[0].ip', 'a podIPs entry has no ip'],
    ]);
    const notAnOwner = { metadata: { name: 'c', namespace: 'n', ownerReferences: ['rs'] } };
    expect(refusal({ items: [notAnOwner] })).toEqual([
      ['items[0].metadata.ownerReferences[0]', 'an owner reference must be an object, not "rs"'],
    ]);
    // What kubectl leaves out, or writes as null, is absent: a pending pod on no node yet.
    expect(
      parseKubectlPods({
        items: [
          {
            metadata: { name: 'p', namespace: 'n', ownerReferences: null },
            spec: { nodeName: null },
            status: null,
          },
        ],
      }),
    ).toEqual([]);
  });

  it('refuses more addresses than a pod has, one per family, without reading a hostile list', () => {
    const many = Array.from({ length: 50_000 }, (_, k) => ({ ip: `10.60.${k >> 8}.${k & 255}` }));
    expect(refusal({ items: [pod('web-1', { podIPs: many })] })).toEqual([
      ['items[0].status.podIPs', 'pod shop/web-1 lists 50000 podIPs; a pod has at most one per family'],
    ]);
    const twoV4 = pod('web-2', { podIP: '10.60.0.8', podIPs: [{ ip: '10.60.0.8' }, { ip: '10.60.0.9' }] });
    expect(refusal({ items: [twoV4] })).toEqual([
      ['items[0].status.podIPs', 'pod shop/web-2 has two IPv4 addresses; a pod has at most one per family'],
    ]);
    // podIP and podIPs name three addresses, two of them IPv6.
    const twoV6 = pod('web-4', { podIP: '10.60.0.8', podIPs: [{ ip: 'fd00::1' }, { ip: 'fd00::2' }] });
    expect(refusal({ items: [twoV6] })).toEqual([
      ['items[0].status.podIPs', 'pod shop/web-4 has two IPv6 addresses; a pod has at most one per family'],
    ]);
    // podIP again as podIPs[0], and one address per family: a dual-stack pod.
    const dual = pod('web-3', { podIP: '10.60.0.8', podIPs: [{ ip: '10.60.0.8' }, { ip: 'fd12::8' }] });
    expect(parseKubectlPods({ items: [dual] }).map((a) => a.ip.toString())).toEqual(['10.60.0.8', 'fd12::8']);
  });

  it('refuses a pod listed twice, as one pod holding two unrelated addresses would be recorded', () => {
    const twice = {
      items: [
        pod('web-1', { podIP: '10.244.0.7' }),
        pod('web-2', { podIP: '10.244.0.8' }),
        pod('web-1', { podIP: '10.244.0.9' }),
        { ...pod('web-1', { podIP: '10.244.0.10' }), metadata: { name: 'web-1', namespace: 'other' } },
      ],
    };
    expect(refusal(twice)).toEqual([
      ['items[2].metadata.name', 'pod shop/web-1 is listed twice (also at items[0])'],
    ]);
  });

  it('reads a list in slices of any size as it reads it whole, problems included', () => {
    const item = fc.oneof(
      fc
        .record({ name: fc.constantFrom('a', 'b', 'c', 'd'), ip: fc.integer({ min: 0, max: 3 }) })
        .map(({ name, ip }) => pod(name, { podIP: `10.244.0.${ip}` })),
      fc.constantFrom(null, 7, pod('Bad', { podIP: '10.244.0.9' }), pod('e', { podIP: 'no address' })),
    );
    const outcome = (read: () => unknown) => {
      try {
        return { addresses: read() };
      } catch (error) {
        return { problems: (error as DomainError).problems };
      }
    };
    fc.assert(
      fc.property(fc.array(item, { maxLength: 12 }), fc.integer({ min: 1, max: 5 }), (items, size) => {
        const whole = outcome(() => parseKubectlPods({ items }));
        const sliced = outcome(() => {
          const reader = readKubectlPods({ items });
          while (!reader.done) reader.read(size);
          return [...reader.finish().values()];
        });
        expect(sliced).toEqual(whole);
      }),
    );
    // The lists above do include refusals, not only answers.
    expect(outcome(() => parseKubectlPods({ items: [null, pod('a', {})] }))).toMatchObject({
      problems: [{ path: 'items[0]' }],
    });
  });

  it('will not answer a list it has not read to the end', () => {
    const reader = readKubectlPods({ items: [pod('a', { podIP: '10.244.0.1' }), pod('b', {})] });
    reader.read(1);
    expect(reader.done).toBe(false);
    expect(() => reader.finish()).toThrow(/not read to the end/);
  });
});
