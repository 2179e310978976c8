import type { Problem } from '../errors.js';
import { IpAddress } from '../ip/index.js';
import {
  field,
  isObject,
  type Json,
  KUBERNETES_NAMES,
  type NameRule,
  nameProblem,
  parseKubectlItems,
} from '../kubectl-list.js';

/** One address a pod held when it was observed. */
export interface PodAddress {
  readonly ip: IpAddress;
  readonly namespace: string;
  readonly pod: string;
  /** The controller that owns the pod (ReplicaSet, StatefulSet, DaemonSet, Job, ...), if any. */
  readonly ownerKind: string | null;
  readonly ownerName: string | null;
  readonly node: string | null;
  /** Host-network pods use their node's IP: recorded, but marked so. */
  readonly hostNetwork: boolean;
}

const CODE = 'KUBECTL_PODS_INVALID';

const text = (value: Json): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * Every address of every pod in `kubectl get pods -A -o json` (a List with items): status.podIP
 * and each entry of status.podIPs, once each. Pods without an IP yet (Pending) are skipped. The
 * document is untrusted: every item is checked, and every unusable one reported at once.
 */
export function parseKubectlPods(document: Json): PodAddress[] {
  return parseKubectlItems(document, CODE, 'kubectl get pods -A -o json', parseItem);
}

function parseItem(item: Json, at: string): PodAddress[] | { problems: Problem[] } {
  const problems: Problem[] = [];
  const refuse = (path: string, message: string) => problems.push({ code: CODE, path, message });
  const pod = text(field(field(item, 'metadata'), 'name'));
  const namespace = text(field(field(item, 'metadata'), 'namespace'));
  if (!isObject(item)) refuse(at, 'a pod item must be an object');
  else if (pod === null) refuse(`${at}.metadata.name`, 'a pod needs a name');
  else if (namespace === null) refuse(`${at}.metadata.namespace`, `pod ${pod} has no namespace`);
  if (pod === null || namespace === null) return { problems };
  const owners =
    field(item, 'metadata') === undefined ? [] : field(field(item, 'metadata'), 'ownerReferences');
  const ownerAt = Array.isArray(owners) ? owners.findIndex((o) => field(o, 'controller') === true) : -1;
  const owner = Array.isArray(owners) ? owners[Math.max(ownerAt, 0)] : undefined;
  const named: [Json, string, NameRule][] = [
    [pod, `${at}.metadata.name`, KUBERNETES_NAMES.object],
    [namespace, `${at}.metadata.namespace`, KUBERNETES_NAMES.namespace],
    [field(field(item, 'spec'), 'nodeName'), `${at}.spec.nodeName`, KUBERNETES_NAMES.object],
    [
      field(owner, 'kind'),
      `${at}.metadata.ownerReferences[${Math.max(ownerAt, 0)}].kind`,
      KUBERNETES_NAMES.kind,
    ],
    [
      field(owner, 'name'),
      `${at}.metadata.ownerReferences[${Math.max(ownerAt, 0)}].name`,
      KUBERNETES_NAMES.object,
    ],
  ];
  for (const [value, path, rule] of named) {
    const problem = text(value) === null ? undefined : nameProblem(value as string, rule);
    if (problem !== undefined) refuse(path, problem);
  }
  const status = field(item, 'status');
  const texts = [
    field(status, 'podIP'),
    ...arrayOf(field(status, 'podIPs')).map((entry) => field(entry, 'ip')),
  ];
  const ips: IpAddress[] = [];
  texts.forEach((value, k) => {
    if (value === undefined || value === null || value === '') return;
    const path = k === 0 ? `${at}.status.podIP` : `${at}.status.podIPs[${k - 1}].ip`;
    const ip = typeof value === 'string' ? IpAddress.tryParse(value) : undefined;
    if (ip === undefined)
      refuse(path, `pod ${namespace}/${pod} has ${JSON.stringify(value)?.slice(0, 64)}, not an IP address`);
    else if (!ips.some((known) => known.equals(ip))) ips.push(ip);
  });
  if (problems.length > 0) return { problems };
  const base = {
    namespace,
    pod,
    ownerKind: text(field(owner, 'kind')),
    ownerName: text(field(owner, 'name')),
    node: text(field(field(item, 'spec'), 'nodeName')),
    hostNetwork: field(field(item, 'spec'), 'hostNetwork') === true,
  };
  return ips.map((ip) => ({ ...base, ip }));
}

const arrayOf = (value: Json): Json[] => (Array.isArray(value) ? value : []);
