import { DomainError, invalidInput, type Problem } from '../errors.js';
import { Cidr, IpAddress } from '../ip/index.js';
import type { RealNode } from './real-node.js';

/** Labels AKS puts on a node naming its pool, newest first. */
const POOL_LABELS = ['kubernetes.azure.com/agentpool', 'agentpool'];

interface KubectlNode {
  metadata?: { name?: unknown; labels?: Record<string, unknown> };
  spec?: { podCIDR?: unknown; podCIDRs?: unknown };
  status?: { addresses?: { type?: unknown; address?: unknown }[] };
}

/**
 * The nodes of `kubectl get nodes -o json` (a List with items), as they are: the name, the
 * InternalIP, spec.podCIDR or the IPv4 entry of spec.podCIDRs, and the agentpool label.
 * Every unusable item is reported at once.
 */
export function parseKubectlNodes(document: unknown): RealNode[] {
  const items = (document as { items?: unknown })?.items;
  if (!Array.isArray(items)) {
    throw DomainError.invalid(
      'KUBECTL_NODES_INVALID',
      'items',
      'expected the JSON of `kubectl get nodes -o json`: an object with an items list',
    );
  }
  const problems: Problem[] = [];
  const nodes = items.flatMap((item, i) => {
    try {
      return [parseItem(item as KubectlNode, `items[${i}]`)];
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      problems.push(...error.problems);
      return [];
    }
  });
  if (problems.length > 0) throw invalidInput(problems);
  return nodes;
}

function parseItem(item: KubectlNode, at: string): RealNode {
  const name = item.metadata?.name;
  if (typeof name !== 'string' || name === '')
    throw DomainError.invalid('KUBECTL_NODES_INVALID', `${at}.metadata.name`, 'a node needs a name');
  const labels = item.metadata?.labels ?? {};
  const pool = POOL_LABELS.map((l) => labels[l]).find((v) => typeof v === 'string');
  if (typeof pool !== 'string') {
    throw DomainError.invalid(
      'KUBECTL_NODES_INVALID',
      `${at}.metadata.labels`,
      `node ${name} has no kubernetes.azure.com/agentpool label`,
    );
  }
  const internal = (item.status?.addresses ?? [])
    .filter((a) => a.type === 'InternalIP' && typeof a.address === 'string')
    .map((a) => IpAddress.parse(a.address as string));
  const nodeIp = internal.find((a) => a.family === 4) ?? internal[0] ?? null;
  const podCidr = podCidrOf(item.spec);
  if (nodeIp === null && podCidr === null) {
    throw DomainError.invalid(
      'KUBECTL_NODES_INVALID',
      `${at}.status.addresses`,
      `node ${name} has neither an InternalIP nor a pod CIDR`,
    );
  }
  return { name, pool, nodeIp, podCidr };
}

function podCidrOf(spec: KubectlNode['spec']): Cidr | null {
  const list = Array.isArray(spec?.podCIDRs) ? (spec.podCIDRs as unknown[]) : [];
  const texts = [spec?.podCIDR, ...list].filter((t): t is string => typeof t === 'string');
  const cidrs = texts.map((t) => Cidr.parse(t));
  return cidrs.find((c) => c.family === 4) ?? cidrs[0] ?? null;
}
