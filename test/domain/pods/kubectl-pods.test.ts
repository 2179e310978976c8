import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { parseKubectlPods } from '../../../src/domain/pods/kubectl-pods.js';

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
