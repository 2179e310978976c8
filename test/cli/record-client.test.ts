import { describe, expect, it } from 'vitest';
import { trimPods } from '../../src/cli/record-client.js';
import { parseKubectlPods } from '../../src/domain/pods/kubectl-pods.js';

/** A pod as kubectl prints it, with some of the many fields an import does not read. */
const pod = (name: string, phase: string, podIP: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'batch',
    uid: '6f1c',
    labels: { app: name },
    ownerReferences: [{ kind: 'Job', name: 'nightly', controller: true, uid: '9a2e' }],
  },
  spec: { nodeName: 'aks-system-0', hostNetwork: false, containers: [{ name: 'c', image: 'busybox' }] },
  status: { phase, podIP, podIPs: [{ ip: podIP }], hostIP: '10.240.0.4', conditions: [] },
});

describe('aks-ip record trims the pod list to what the import reads', () => {
  it('keeps the phase: a finished pod sent without it would be recorded as holding its old IP', () => {
    const trimmed = trimPods({ kind: 'List', items: [pod('nightly-x1', 'Succeeded', '10.244.0.7')] });
    expect(trimmed).toEqual({
      items: [
        {
          metadata: {
            name: 'nightly-x1',
            namespace: 'batch',
            ownerReferences: [{ kind: 'Job', name: 'nightly', controller: true, uid: '9a2e' }],
          },
          spec: { nodeName: 'aks-system-0', hostNetwork: false },
          status: { phase: 'Succeeded', podIP: '10.244.0.7', podIPs: [{ ip: '10.244.0.7' }] },
        },
      ],
    });
    const running = pod('web-1', 'Running', '10.244.0.7');
    const list = { items: [pod('nightly-x1', 'Succeeded', '10.244.0.7'), running] };
    expect(parseKubectlPods(trimPods(list)).map((a) => a.pod)).toEqual(['web-1']);
  });
});
