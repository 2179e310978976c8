import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { type ItemFields, type Json, projected } from '../../src/domain/kubectl-list.js';
import { KUBECTL_NODE_FIELDS, parseKubectlNodes } from '../../src/domain/nodes/kubectl-import.js';
import { KUBECTL_POD_FIELDS, parseKubectlPods } from '../../src/domain/pods/kubectl-pods.js';

/** What a reader answers, as plain JSON: its result, or its refusal with every problem. */
function outcome(read: (document: Json) => unknown, document: Json): unknown {
  try {
    return { read: JSON.parse(JSON.stringify(read(document)) ?? 'null') };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { refused: error.code, message: error.message, problems: error.problems };
  }
}

const withItems = (document: Json, fields: ItemFields) =>
  document !== null && typeof document === 'object' && Array.isArray((document as { items?: unknown }).items)
    ? { items: (document as { items: Json[] }).items.map((item) => projected(item, fields)) }
    : document;

/** Any JSON at all, a field of the right shape, or nothing: what an untrusted document holds. */
const anyJson = fc.jsonValue({ maxDepth: 2 });
const either = <T>(good: fc.Arbitrary<T>) => fc.option(fc.oneof(good, good, anyJson), { nil: undefined });
/** An object of some of `fields` and fields no reader reads, or any JSON instead. */
const objectOf = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record(
        { ...fields, unread: anyJson, kind: anyJson },
        { requiredKeys: Object.keys(fields) as never[] },
      ),
    },
    { weight: 1, arbitrary: anyJson },
  );
const ip = fc.constantFrom('10.240.0.4', '10.244.1.7', 'fd00::4', '10.240.0.256', '');
const names = fc.constantFrom('aks-system-0', 'aks-user-1', 'virtual-node-aci-linux', 'Bad_Name', '');

const nodeItem = objectOf({
  metadata: objectOf({
    name: either(names),
    labels: either(
      fc.oneof(
        fc.constantFrom(
          { type: 'virtual-kubelet' },
          { type: 'virtual-kubelet', agentpool: 'system' },
          { 'kubernetes.azure.com/agentpool': 'user', type: 'x' },
        ),
        fc.dictionary(
          fc.constantFrom(
            'agentpool',
            'kubernetes.azure.com/agentpool',
            'type',
            'topology.kubernetes.io/zone',
          ),
          fc.oneof(fc.constantFrom('system', 'user', 'virtual-kubelet', 'sys tem'), anyJson),
        ),
      ),
    ),
    uid: anyJson,
  }),
  spec: objectOf({
    podCIDR: either(fc.constantFrom('10.244.0.0/24', 'fd00:1::/64', '10.244.0.1/24')),
    podCIDRs: either(fc.array(fc.oneof(fc.constantFrom('10.244.3.0/24', 'fd00:2::/64'), anyJson))),
    providerID: anyJson,
  }),
  status: objectOf({
    addresses: either(
      fc.array(objectOf({ type: either(fc.constantFrom('InternalIP', 'Hostname')), address: either(ip) })),
    ),
    images: anyJson,
  }),
});

const podItem = objectOf({
  metadata: objectOf({
    name: either(fc.constantFrom('a', 'b', 'c', 'Bad')),
    namespace: either(fc.constantFrom('default', 'kube-system')),
    ownerReferences: either(
      fc.array(
        objectOf({
          kind: either(fc.constantFrom('ReplicaSet', 'DaemonSet')),
          name: either(fc.constantFrom('web-1', 'ds')),
          controller: either(fc.boolean()),
        }),
      ),
    ),
    labels: anyJson,
  }),
  spec: objectOf({ nodeName: either(names), hostNetwork: either(fc.boolean()), containers: anyJson }),
  status: objectOf({
    phase: either(fc.constantFrom('Running', 'Pending', 'Succeeded')),
    podIP: either(ip),
    podIPs: either(fc.array(objectOf({ ip: either(ip) }))),
    hostIP: anyJson,
  }),
});

/** A document as JSON carries it: fields drawn as undefined are absent. */
const documentOf = (item: fc.Arbitrary<unknown>) =>
  fc
    .oneof(
      { weight: 8, arbitrary: fc.record({ items: fc.array(item, { maxLength: 6 }), apiVersion: anyJson }) },
      { weight: 1, arbitrary: anyJson },
    )
    .map((document): Json => JSON.parse(JSON.stringify(document)));

describe('a kubectl list cut down to the fields its reader reads', () => {
  it('reads as the whole list: the same nodes, or the same refusal', () => {
    fc.assert(
      fc.property(documentOf(nodeItem), (document) => {
        const cut = withItems(document, KUBECTL_NODE_FIELDS);
        expect(outcome(parseKubectlNodes, cut)).toEqual(outcome(parseKubectlNodes, document));
      }),
      { numRuns: 1000 },
    );
  });

  it('reads as the whole list: the same pod addresses, or the same refusal', () => {
    fc.assert(
      fc.property(documentOf(podItem), (document) => {
        const cut = withItems(document, KUBECTL_POD_FIELDS);
        expect(outcome(parseKubectlPods, cut)).toEqual(outcome(parseKubectlPods, document));
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps only the fields named, and what is not an object as it is', () => {
    const fields = { a: { b: true }, c: true } as const;
    expect(projected({ a: { b: [1], x: 2 }, c: { d: 1 }, e: 3 }, fields)).toEqual({
      a: { b: [1] },
      c: { d: 1 },
    });
    expect(projected({ a: [1, 2], c: null }, fields)).toEqual({ a: [1, 2], c: null });
    expect(projected('text', fields)).toBe('text');
    // An inherited field is not the object's own: it is not kept.
    expect(projected(Object.create({ c: 1 }), fields)).toEqual({});
  });
});
