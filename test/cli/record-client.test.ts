import { describe, expect, it } from 'vitest';
import { trimNodes, trimPods } from '../../src/cli/record-client.js';
import { DomainError } from '../../src/domain/errors.js';
import { parseKubectlNodes } from '../../src/domain/nodes/kubectl-import.js';
import { parseKubectlPods } from '../../src/domain/pods/kubectl-pods.js';
import { BODY_LIMITS } from '../../src/http/body-limits.js';

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

/** A node as kubectl prints it: images, conditions and managedFields are most of its JSON. */
const node = (name: string, labels: Record<string, string>, address: string) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name,
    uid: '41d7',
    labels: { ...labels, 'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'Standard_D4s_v5' },
    annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    managedFields: [{ manager: 'kubelet', operation: 'Update', fieldsV1: { 'f:status': {} } }],
  },
  spec: { podCIDR: '10.244.3.0/24', podCIDRs: ['10.244.3.0/24'], providerID: 'azure:///subscriptions/x' },
  status: {
    addresses: [
      { type: 'InternalIP', address },
      { type: 'Hostname', address: name },
    ],
    images: [{ names: ['mcr.microsoft.com/oss/kubernetes/pause:3.6'], sizeBytes: 299514 }],
    conditions: [{ type: 'Ready', status: 'True' }],
    nodeInfo: { kubeletVersion: 'v1.30.4' },
  },
});

/** What the server answers of a list: its parse, or the paths and messages it refuses. */
function imported<T>(parse: (list: unknown) => T, list: unknown): T | { path: string; message: string }[] {
  try {
    return parse(list);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error.problems.map(({ path, message }) => ({ path, message }));
  }
}

describe('aks-ip record trims the node list to what the import reads', () => {
  it('keeps name, the pool and virtual-node labels, pod CIDRs and addresses: the import reads the same', () => {
    const list = {
      kind: 'List',
      items: [
        node(
          'aks-system-0',
          { 'kubernetes.azure.com/agentpool': 'system', agentpool: 'system' },
          '10.240.0.4',
        ),
        node('virtual-node-aci-linux', { type: 'virtual-kubelet' }, '10.240.0.77'),
      ],
    };
    const trimmed = trimNodes(list);
    expect(trimmed).toEqual({
      items: [
        {
          metadata: {
            name: 'aks-system-0',
            labels: { 'kubernetes.azure.com/agentpool': 'system', agentpool: 'system' },
          },
          spec: { podCIDR: '10.244.3.0/24', podCIDRs: ['10.244.3.0/24'] },
          status: {
            addresses: [
              { type: 'InternalIP', address: '10.240.0.4' },
              { type: 'Hostname', address: 'aks-system-0' },
            ],
          },
        },
        expect.objectContaining({
          metadata: { name: 'virtual-node-aci-linux', labels: { type: 'virtual-kubelet' } },
        }),
      ],
    });
    expect(parseKubectlNodes(trimmed)).toEqual(parseKubectlNodes(list));
  });

  it("brings a 5,000-node list, which passes the server's limit as kubectl prints it, well under it", () => {
    // A node lists the images it has pulled: 50 of them, each with a digest, is a few KiB.
    const images = Array.from({ length: 50 }, (_, k) => ({
      names: [
        `mcr.microsoft.com/oss/image-${k}@sha256:${'a'.repeat(64)}`,
        `mcr.microsoft.com/oss/image-${k}:v1`,
      ],
      sizeBytes: 123456,
    }));
    const items = Array.from({ length: 5000 }, (_, i) => {
      const item = node(`aks-user-${i}`, { 'kubernetes.azure.com/agentpool': 'user' }, '10.240.0.4');
      return { ...item, status: { ...item.status, images } };
    });
    expect(JSON.stringify({ items }).length).toBeGreaterThan(BODY_LIMITS.kubectlImport);
    expect(JSON.stringify(trimNodes({ items })).length).toBeLessThan(BODY_LIMITS.kubectlImport / 10);
  });

  it('passes items that are not objects, and fields of the wrong type, as they are: the server names them', () => {
    const broken = {
      items: [
        null,
        'aks-system-0',
        [],
        { metadata: { name: 'aks-system-1', labels: [] }, spec: { podCIDRs: 'x' } },
      ],
    };
    expect(trimNodes(broken)).toEqual({
      items: [
        null,
        'aks-system-0',
        [],
        { metadata: { name: 'aks-system-1', labels: [] }, spec: { podCIDRs: 'x' } },
      ],
    });
    expect(imported(parseKubectlNodes, trimNodes(broken))).toEqual(imported(parseKubectlNodes, broken));
  });
});

describe('aks-ip record passes pod items that are not objects to the server', () => {
  it('keeps a null item null, for the import to refuse at its index', () => {
    expect(trimPods({ items: [null, 7, pod('web-1', 'Running', '10.244.0.9')] })).toEqual({
      items: [null, 7, expect.objectContaining({ metadata: expect.objectContaining({ name: 'web-1' }) })],
    });
    expect(imported(parseKubectlPods, trimPods({ items: [null] }))).toEqual([
      { path: 'items[0]', message: 'a pod item must be an object' },
    ]);
  });
});
