import type { Problem } from '../errors.js';
import { IpAddress } from '../ip/index.js';
import {
  field,
  type ItemFields,
  isObject,
  type Json,
  KUBERNETES_NAMES,
  KubectlListReader,
  type NameRule,
  NamesSeen,
  nameProblem,
} from '../kubectl-list.js';
import { ObservedPods, type PodAddress } from './pod-address.js';

const CODE = 'KUBECTL_PODS_INVALID';

/**
 * Phases of a pod that has finished: kubectl still shows its status.podIP, but the address is
 * back in the pool and another pod may hold it already.
 */
const FINISHED_PHASES: ReadonlySet<string> = new Set(['Succeeded', 'Failed']);

const isFinished = (status: Json): boolean => {
  const phase = field(status, 'phase');
  return typeof phase === 'string' && FINISHED_PHASES.has(phase);
};

/** The fields of a pod item `readKubectlPods` reads (see `projected`). */
export const KUBECTL_POD_FIELDS: ItemFields = {
  metadata: { name: true, namespace: true, ownerReferences: true },
  spec: { nodeName: true, hostNetwork: true },
  status: { phase: true, podIP: true, podIPs: true },
};

const text = (value: Json): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** A value quoted for a message, cut short: a document may hold anything. */
function quoted(value: Json): string {
  const shown = JSON.stringify(value) ?? 'nothing';
  return shown.length > 64 ? `${shown.slice(0, 61)}...` : shown;
}

type Refuse = (path: string, message: string) => void;

/** One pod item read: who it is, and the addresses it holds (none when pending or finished). */
interface ParsedPod {
  readonly key: string;
  readonly addresses: PodAddress[];
}

/**
 * Every address of every pod in `kubectl get pods -A -o json` (a List with items): status.podIP
 * and each entry of status.podIPs, once each. Pods without an IP yet (Pending) and finished ones
 * (Succeeded, Failed) hold none. The document is untrusted: every item is checked, and every
 * unusable one reported at once.
 */
export function parseKubectlPods(document: Json): PodAddress[] {
  return [...readKubectlPods(document).readAll().values()];
}

/** A pod list read a few items at a time (see KubectlListReader), its addresses keyed as read. */
export function readKubectlPods(document: Json): KubectlListReader<ObservedPods> {
  // Recording a pod listed twice would give one pod two unrelated addresses.
  const names = new NamesSeen(CODE, 'pod');
  const observed = new ObservedPods();
  const readItem = (item: Json, at: string) => {
    const parsed = parseItem(item, at);
    if ('problems' in parsed) return parsed.problems;
    const twice = names.twice(parsed.key, at);
    if (twice !== undefined) return twice.problems;
    for (const address of parsed.addresses) observed.add(address);
    return undefined;
  };
  return new KubectlListReader(document, CODE, 'kubectl get pods -A -o json', readItem, () => observed);
}

function parseItem(item: Json, at: string): ParsedPod | { problems: Problem[] } {
  const problems: Problem[] = [];
  const refuse: Refuse = (path, message) => problems.push({ code: CODE, path, message });
  const pod = text(field(field(item, 'metadata'), 'name'));
  const namespace = text(field(field(item, 'metadata'), 'namespace'));
  if (!isObject(item)) refuse(at, 'a pod item must be an object');
  else if (pod === null) refuse(`${at}.metadata.name`, 'a pod needs a name');
  else if (namespace === null) refuse(`${at}.metadata.namespace`, `pod ${pod} has no namespace`);
  if (pod === null || namespace === null) return { problems };
  const owner = ownerOf(item, at, refuse);
  checkNames(item, at, { pod, namespace, owner }, refuse);
  checkTypes(item, at, owner, refuse);
  const ips = addressesOf(field(item, 'status'), at, `${namespace}/${pod}`, refuse);
  if (problems.length > 0) return { problems };
  const key = `${namespace}/${pod}`;
  if (isFinished(field(item, 'status'))) return { key, addresses: [] };
  const base = {
    namespace,
    pod,
    ownerKind: text(field(owner.value, 'kind')),
    ownerName: text(field(owner.value, 'name')),
    node: text(field(field(item, 'spec'), 'nodeName')),
    hostNetwork: field(field(item, 'spec'), 'hostNetwork') === true,
  };
  return { key, addresses: ips.map((ip) => ({ ...base, ip })) };
}

interface Owner {
  readonly value: Json;
  readonly path: string;
}

/** The controller among metadata.ownerReferences, else the first reference (or none). */
function ownerOf(item: Json, at: string, refuse: Refuse): Owner {
  const owners = field(field(item, 'metadata'), 'ownerReferences');
  const path = `${at}.metadata.ownerReferences`;
  if (!Array.isArray(owners)) {
    if (owners !== undefined && owners !== null)
      refuse(path, `ownerReferences must be a list, not ${quoted(owners)}`);
    return { value: undefined, path: `${path}[0]` };
  }
  const index = Math.max(
    owners.findIndex((o) => field(o, 'controller') === true),
    0,
  );
  const value = owners[index];
  if (value !== undefined && !isObject(value))
    refuse(`${path}[${index}]`, `an owner reference must be an object, not ${quoted(value)}`);
  return { value, path: `${path}[${index}]` };
}

/** Kubernetes' own rules for every name kept: a document that breaks them is not kubectl's. */
function checkNames(
  item: Json,
  at: string,
  { pod, namespace, owner }: { pod: string; namespace: string; owner: Owner },
  refuse: Refuse,
): void {
  const named: [Json, string, NameRule][] = [
    [pod, `${at}.metadata.name`, KUBERNETES_NAMES.object],
    [namespace, `${at}.metadata.namespace`, KUBERNETES_NAMES.namespace],
    [field(field(item, 'spec'), 'nodeName'), `${at}.spec.nodeName`, KUBERNETES_NAMES.object],
    [field(owner.value, 'kind'), `${owner.path}.kind`, KUBERNETES_NAMES.kind],
    [field(owner.value, 'name'), `${owner.path}.name`, KUBERNETES_NAMES.object],
  ];
  for (const [value, path, rule] of named) {
    const problem = text(value) === null ? undefined : nameProblem(value as string, rule);
    if (problem !== undefined) refuse(path, problem);
  }
}

type Shape = 'a string' | 'a boolean' | 'an object';

const HAS_SHAPE: Readonly<Record<Shape, (value: Json) => boolean>> = {
  'a string': (value) => typeof value === 'string',
  'a boolean': (value) => typeof value === 'boolean',
  'an object': isObject,
};

/**
 * Fields of the wrong type are refused, not read as absent: a nodeName of 123 or a hostNetwork
 * of "true" recorded as no node or no host network would be a wrong record, said by no one.
 * Absent and null fields are what kubectl leaves out.
 */
function checkTypes(item: Json, at: string, owner: Owner, refuse: Refuse): void {
  const spec = field(item, 'spec');
  const status = field(item, 'status');
  const ownerAt = owner.path.slice(at.length + 1);
  const expected: [Json, string, Shape][] = [
    [field(owner.value, 'kind'), `${ownerAt}.kind`, 'a string'],
    [field(owner.value, 'name'), `${ownerAt}.name`, 'a string'],
    [spec, 'spec', 'an object'],
    [field(spec, 'nodeName'), 'spec.nodeName', 'a string'],
    [field(spec, 'hostNetwork'), 'spec.hostNetwork', 'a boolean'],
    [status, 'status', 'an object'],
    [field(status, 'phase'), 'status.phase', 'a string'],
  ];
  for (const [value, path, shape] of expected) {
    if (value !== undefined && value !== null && !HAS_SHAPE[shape](value))
      refuse(`${at}.${path}`, `${path} must be ${shape}, not ${quoted(value)}`);
  }
}

/** status.podIP and every status.podIPs[].ip, once each; every one that is not an address refused. */
function addressesOf(status: Json, at: string, who: string, refuse: Refuse): IpAddress[] {
  const ips: IpAddress[] = [];
  const take = (value: Json, path: string) => {
    if (value === undefined || value === null || value === '') return;
    const ip = typeof value === 'string' ? IpAddress.tryParse(value) : undefined;
    if (ip === undefined) refuse(path, `pod ${who} has ${quoted(value)}, not an IP address`);
    else if (!ips.some((known) => known.equals(ip))) ips.push(ip);
  };
  take(field(status, 'podIP'), `${at}.status.podIP`);
  const list = field(status, 'podIPs');
  if (list !== undefined && list !== null && !Array.isArray(list))
    refuse(`${at}.status.podIPs`, `podIPs must be a list, not ${quoted(list)}`);
  // Kubernetes gives a pod at most one address per family: a longer list is no pod's, and is
  // refused whole rather than read (each address is compared with those before it).
  if (Array.isArray(list) && list.length > MAX_POD_IPS) {
    refuse(`${at}.status.podIPs`, `pod ${who} lists ${list.length} podIPs; a pod has at most one per family`);
    return ips;
  }
  // An entry that is no `{ "ip": ... }` is refused, not skipped: kubectl writes none such.
  (Array.isArray(list) ? list : []).forEach((entry, k) => {
    const path = `${at}.status.podIPs[${k}]`;
    if (!isObject(entry)) refuse(path, `a podIPs entry must be an object with an ip, not ${quoted(entry)}`);
    else if (entry.ip === undefined || entry.ip === null) refuse(`${path}.ip`, 'a podIPs entry has no ip');
    else take(entry.ip, `${path}.ip`);
  });
  // podIP and podIPs together may name three: any two of one family are no pod's.
  const twice = ips.find((ip, k) => ips.findIndex((other) => other.family === ip.family) !== k);
  if (twice !== undefined) {
    refuse(
      `${at}.status.podIPs`,
      `pod ${who} has two IPv${twice.family} addresses; a pod has at most one per family`,
    );
  }
  return ips;
}

/** Addresses a pod's status lists at most: one IPv4 and one IPv6 (dual-stack). */
const MAX_POD_IPS = 2;
